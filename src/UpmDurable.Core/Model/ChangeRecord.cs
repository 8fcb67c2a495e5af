namespace UpmDurable.Core.Model;

/// <summary>The record of a change as GET /api/changes/{id} returns it: every phase's outcome and the audit trace. Append-only contract.</summary>
public sealed record ChangeRecord
{
    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>The submitter's stable id (Entra object id or API-key principal): what identity rules compare.</summary>
    public required string Initiator { get; init; }

    /// <summary>The submitter's display name, shown beside <see cref="Initiator"/>; never compared.</summary>
    public string? InitiatorName { get; init; }

    public required string Status { get; init; }

    public required string Phase { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public required ChangeSpec Intent { get; init; }

    /// <summary>When each phase started, by phase name.</summary>
    public Dictionary<string, DateTimeOffset> PhaseStartedAt { get; init; } = [];

    public Plan? Plan { get; init; }

    public PreflightReport? Preflight { get; init; }

    public ApprovalState Approvals { get; init; } = new();

    public ExecutionReport Execution { get; init; } = new();

    public VerifyReport? Verification { get; init; }

    public RollbackReport Rollback { get; init; } = new();

    public List<AuditEntry> AuditTrace { get; init; } = [];

    /// <summary>Operator commands received (pause, resume, abort), in order.</summary>
    public List<OperatorCommand> OperatorCommands { get; init; } = [];

    public EvidenceHead Evidence { get; init; } = new(0, null);

    /// <summary>Why the change ended without completing, when it did.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// True when nothing real ran: every step is on a simulated provider (the sandbox). Computed from the intent by
    /// <see cref="SimulatedRuns"/>, never stored as a decision, so records written before the field existed answer it too.
    /// </summary>
    public bool Simulated => SimulatedRuns.IsSimulated(this);

    /// <summary>
    /// The orchestration version the change runs at (fixed when it started; docs/versioning.md). Absent for a change started
    /// before versioning.
    /// </summary>
    public string? OrchestrationVersion { get; init; }
}
