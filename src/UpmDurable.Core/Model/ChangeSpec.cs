namespace UpmDurable.Core.Model;

/// <summary>A validated change request with every default applied: the input of the change orchestration. Append-only contract.</summary>
public sealed record ChangeSpec
{
    public required string Request { get; init; }

    public required string Source { get; init; }

    public required string Tenant { get; init; }

    public required string Visibility { get; init; }

    public required string Owner { get; init; }

    public TicketRef? Ticket { get; init; }

    public required string Cloud { get; init; }

    public required string Provider { get; init; }

    public string? ClusterEndpointId { get; init; }

    public required List<ResourceSpec> Resources { get; init; }

    public required List<ResourceNeed> ResourcesNeeded { get; init; }

    public required int MaxParallel { get; init; }

    /// <summary>The approver groups in force: the policy's and the request's, set when the change is submitted (visibility, notices).</summary>
    public required List<string> ApprovalGroups { get; init; }

    /// <summary>The approvals in force when the change was submitted; pre-flight decides again from policy (it is the authority).</summary>
    public required int ApprovalsRequired { get; init; }

    /// <summary>What the request asked for in <c>approvals.required</c>; null when it did not say. Below the policy's minimum it is raised to it.</summary>
    public int? RequestedApprovals { get; init; }

    /// <summary>The groups the request named in <c>approvals.groups</c>; each one not already a policy group must also sign.</summary>
    public List<string> RequestedApprovalGroups { get; init; } = [];

    /// <summary>ISO-8601 duration the change waits for approvals before it expires.</summary>
    public required string ApprovalTimeout { get; init; }

    public required string DriftMode { get; init; }

    public required string DriftInterval { get; init; }

    public required List<FaultSpec> Faults { get; init; }

    /// <summary>True when <see cref="Resources"/> were compiled from <see cref="Request"/> by the intent grammar.</summary>
    public bool ResourcesFromRequest { get; init; }

    /// <summary>The change-window calendar to honour; null: the host's default.</summary>
    public string? WindowCalendar { get; init; }

    /// <summary>Outside the window: wait until it opens (true) or fail (false).</summary>
    public bool WindowWait { get; init; } = ChangeDefaults.WindowWait;

    /// <summary>Wave variants asked for (<c>canary</c>, <c>blue_green</c>), distinct and sorted.</summary>
    public List<string> Variants { get; init; } = [];

    /// <summary>The health gate after each wave; null: none.</summary>
    public HealthGate? HealthGate { get; init; }

    /// <summary><c>rollback</c> or <c>pause</c>.</summary>
    public string OnVerifyFailure { get; init; } = ChangeDefaults.OnVerifyFailure;
}
