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
