using System.Text.Json;

namespace UpmDurable.Core.Model;

/// <summary>A change request as clients send it (POST /api/changes, POST /api/plans). Field names follow the spec's provisioning event.</summary>
public sealed record ChangeRequest
{
    public string? Request { get; init; }

    public string? Source { get; init; }

    public string? Tenant { get; init; }

    public string? Visibility { get; init; }

    public string? Owner { get; init; }

    public TicketRef? Ticket { get; init; }

    public ChangeTarget? Target { get; init; }

    public List<ResourceNeed>? ResourcesNeeded { get; init; }

    public RolloutPolicy? Rollout { get; init; }

    public ApprovalPolicy? Approvals { get; init; }

    public DriftPolicy? Drift { get; init; }

    /// <summary>Which change-window calendar gates the change and whether to wait for it to open.</summary>
    public WindowPolicy? Window { get; init; }

    /// <summary>Wave variants to compute for a dry run: <c>canary</c>, <c>blue_green</c>.</summary>
    public List<string>? Variants { get; init; }

    /// <summary>Health-gated progression: probes after every wave; absent = no gate (verification still runs).</summary>
    public HealthGatePolicy? HealthGate { get; init; }

    /// <summary>What a failed verification does: <c>rollback</c> (default) or <c>pause</c> for an operator.</summary>
    public string? OnVerifyFailure { get; init; }
}

/// <summary>Health gate after each wave: observe the wave's resources and stop below a healthy share.</summary>
public sealed record HealthGatePolicy
{
    /// <summary>How long to observe the wave, probing repeatedly (0: one probe).</summary>
    public int? ObserveSeconds { get; init; }

    /// <summary>Seconds between probes while observing.</summary>
    public int? ProbeIntervalSeconds { get; init; }

    /// <summary>The share of the wave's resources that must be healthy at every probe (default 100).</summary>
    public int? MinHealthyPercent { get; init; }

    /// <summary>Below the threshold: <c>pause</c> (default; wait for resume or abort) or <c>rollback</c>.</summary>
    public string? OnFailure { get; init; }
}

/// <summary>The change window a change must run in.</summary>
public sealed record WindowPolicy
{
    /// <summary>Name of a calendar of the windows file; null: the host's default calendar.</summary>
    public string? Calendar { get; init; }

    /// <summary>Outside the window: wait on a durable timer until it opens (true, the default) or fail (false).</summary>
    public bool? Wait { get; init; }
}

/// <summary>The ticket a change belongs to in an external system.</summary>
public sealed record TicketRef
{
    public string? System { get; init; }

    public string? Id { get; init; }
}

/// <summary>Where a change applies and what it creates.</summary>
public sealed record ChangeTarget
{
    public string? Cloud { get; init; }

    public string? Provider { get; init; }

    public string? ClusterEndpointId { get; init; }

    public List<ResourceSpec>? Resources { get; init; }

    /// <summary>Sandbox fault injection: make a resource fail at apply, or be unhealthy at verify.</summary>
    public List<FaultSpec>? Faults { get; init; }
}

/// <summary>One resource of a change, in the catalog's vocabulary.</summary>
public sealed record ResourceSpec
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Location { get; init; }

    public string? ResourceGroup { get; init; }

    public string? Cluster { get; init; }

    public string? Namespace { get; init; }

    public List<string>? DependsOn { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>For <c>type: command</c>: the command line, run by the cli provider through the guarded runner.</summary>
    public string? Command { get; init; }

    /// <summary>For <c>type: command</c>: the read-back command verification runs.</summary>
    public string? ReadBack { get; init; }

    /// <summary>For <c>type: command</c>: the compensating command rollback runs.</summary>
    public string? Rollback { get; init; }

    /// <summary>For <c>type: command</c>: ISO-8601 timeout of the command.</summary>
    public string? Timeout { get; init; }

    /// <summary>
    /// <c>present</c> (the default when absent) or <c>absent</c>: the change deletes the resource (action <c>delete</c>;
    /// rollback re-creates it from its before-image where the provider can). See <see cref="Ensures"/>.
    /// </summary>
    public string? Ensure { get; init; }

    /// <summary>
    /// True: the change may take over this resource when it already exists and the service did not create it (explicit
    /// adoption, recorded in the evidence). Without it pre-flight refuses to touch such a resource.
    /// </summary>
    public bool? Adopt { get; init; }
}

/// <summary>A prerequisite the pre-flight checks: a quota with a minimum, or a resource that must already exist.</summary>
public sealed record ResourceNeed
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Location { get; init; }

    public int? Min { get; init; }
}

/// <summary>How a change rolls out.</summary>
public sealed record RolloutPolicy
{
    public int? MaxParallel { get; init; }

    /// <summary>The health gate, where the contract's example gives it; the top-level <c>health_gate</c> is the same field.</summary>
    public HealthGatePolicy? HealthGate { get; init; }
}

/// <summary>Who must approve a change, how many, and for how long the change waits.</summary>
public sealed record ApprovalPolicy
{
    public List<string>? Groups { get; init; }

    public int? Required { get; init; }

    /// <summary>ISO-8601 duration, e.g. <c>P3D</c> or <c>PT30S</c>.</summary>
    public string? Timeout { get; init; }
}

/// <summary>Drift monitoring after the change completes.</summary>
public sealed record DriftPolicy
{
    public string? Mode { get; init; }

    public string? Interval { get; init; }
}

/// <summary>
/// An injected fault. Sandbox faults name a resource: <c>apply</c> (the step fails), <c>verify</c> (the resource reads back
/// unhealthy), <c>compensate</c> (its compensation fails). Activity faults (<see cref="Canonicals.ActivityFaultPoints"/>, only
/// on a host with <c>Upm:Testing:ActivityFaults</c>) make an activity kind fail like a storage outage <see cref="Times"/> times.
/// </summary>
public sealed record FaultSpec
{
    public string? Resource { get; init; }

    public string? On { get; init; }

    /// <summary>Activity faults: how many calls fail (default 5, the retry budget of one activity call).</summary>
    public int? Times { get; init; }

    /// <summary>Checkpoint faults: only the checkpoint of this kind (e.g. <c>verify</c>); null: any.</summary>
    public string? At { get; init; }
}
