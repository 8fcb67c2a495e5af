namespace UpmDurable.Core.Model;

/// <summary>
/// What a checkpoint changed in a change record since the checkpoint before: the small fields always, a large section
/// only when it changed (null: as stored), and the audit trace and executed steps as the entries after the stored ones.
/// Applying it to the record the earlier checkpoint stored gives the record the orchestration holds; applying it twice
/// gives the same record (a retried activity applies the same delta). Append-only contract.
/// </summary>
public sealed record ChangeRecordDelta
{
    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    public required string Initiator { get; init; }

    public string? InitiatorName { get; init; }

    public required string Status { get; init; }

    public required string Phase { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public Dictionary<string, DateTimeOffset> PhaseStartedAt { get; init; } = [];

    public EvidenceHead Evidence { get; init; } = new(0, null);

    public string? Reason { get; init; }

    public string? OrchestrationVersion { get; init; }

    public ChangeSpec? Intent { get; init; }

    public Plan? Plan { get; init; }

    public PreflightReport? Preflight { get; init; }

    public ApprovalState? Approvals { get; init; }

    public VerifyReport? Verification { get; init; }

    public RollbackReport? Rollback { get; init; }

    public List<OperatorCommand>? OperatorCommands { get; init; }

    /// <summary>The execution report when it changed, holding only the steps after the first <see cref="ExecutionStepsFrom"/>.</summary>
    public ExecutionReport? Execution { get; init; }

    public int ExecutionStepsFrom { get; init; }

    /// <summary>The audit entries after the first <see cref="AuditFrom"/>.</summary>
    public List<AuditEntry> AuditAdded { get; init; } = [];

    public int AuditFrom { get; init; }

    /// <summary>
    /// What changed from <paramref name="before"/> (the record the last checkpoint stored) to <paramref name="after"/>, or
    /// null when a delta cannot say it (a section went back to nothing, another change): then send the whole record.
    /// Sections are compared by reference: a record changes by <c>with</c>, which keeps every section it does not replace.
    /// </summary>
    public static ChangeRecordDelta? Between(ChangeRecord before, ChangeRecord after)
    {
        if (before.ChangeId != after.ChangeId || before.Tenant != after.Tenant
            || (before.Plan is not null && after.Plan is null)
            || (before.Preflight is not null && after.Preflight is null)
            || (before.Verification is not null && after.Verification is null))
        {
            return null;
        }

        int auditFrom = SharedPrefix(before.AuditTrace, after.AuditTrace);
        int stepsFrom = SharedPrefix(before.Execution.Steps, after.Execution.Steps);
        return new ChangeRecordDelta
        {
            ChangeId = after.ChangeId,
            Tenant = after.Tenant,
            Initiator = after.Initiator,
            InitiatorName = after.InitiatorName,
            Status = after.Status,
            Phase = after.Phase,
            SubmittedAt = after.SubmittedAt,
            UpdatedAt = after.UpdatedAt,
            PhaseStartedAt = after.PhaseStartedAt,
            Evidence = after.Evidence,
            Reason = after.Reason,
            OrchestrationVersion = after.OrchestrationVersion,
            Intent = Changed(before.Intent, after.Intent),
            Plan = Changed(before.Plan, after.Plan),
            Preflight = Changed(before.Preflight, after.Preflight),
            Approvals = Changed(before.Approvals, after.Approvals),
            Verification = Changed(before.Verification, after.Verification),
            Rollback = Changed(before.Rollback, after.Rollback),
            OperatorCommands = Changed(before.OperatorCommands, after.OperatorCommands),
            Execution = ReferenceEquals(before.Execution, after.Execution) ? null : after.Execution with { Steps = after.Execution.Steps[stepsFrom..] },
            ExecutionStepsFrom = stepsFrom,
            AuditAdded = after.AuditTrace[auditFrom..],
            AuditFrom = auditFrom,
        };
    }

    /// <summary>The record this delta makes of <paramref name="stored"/>, the record the previous checkpoint stored.</summary>
    public ChangeRecord ApplyTo(ChangeRecord stored)
    {
        if (stored.ChangeId != ChangeId || stored.Tenant != Tenant)
        {
            throw new InvalidOperationException($"A delta of change {ChangeId} cannot apply to change {stored.ChangeId}.");
        }

        if (stored.AuditTrace.Count < AuditFrom || stored.Execution.Steps.Count < ExecutionStepsFrom)
        {
            throw new InvalidOperationException(
                $"The stored record of change {ChangeId} is older than the checkpoint this delta follows ({stored.AuditTrace.Count} of {AuditFrom} audit entries, {stored.Execution.Steps.Count} of {ExecutionStepsFrom} steps).");
        }

        return stored with
        {
            Initiator = Initiator,
            InitiatorName = InitiatorName,
            Status = Status,
            Phase = Phase,
            SubmittedAt = SubmittedAt,
            UpdatedAt = UpdatedAt,
            PhaseStartedAt = PhaseStartedAt,
            Evidence = Evidence,
            Reason = Reason,
            OrchestrationVersion = OrchestrationVersion,
            Intent = Intent ?? stored.Intent,
            Plan = Plan ?? stored.Plan,
            Preflight = Preflight ?? stored.Preflight,
            Approvals = Approvals ?? stored.Approvals,
            Verification = Verification ?? stored.Verification,
            Rollback = Rollback ?? stored.Rollback,
            OperatorCommands = OperatorCommands ?? stored.OperatorCommands,
            Execution = Execution is null ? stored.Execution : Execution with { Steps = [.. stored.Execution.Steps.Take(ExecutionStepsFrom), .. Execution.Steps] },
            AuditTrace = [.. stored.AuditTrace.Take(AuditFrom), .. AuditAdded],
        };
    }

    static T? Changed<T>(T? before, T? after)
        where T : class => ReferenceEquals(before, after) ? null : after;

    // How many leading entries the two lists share (the same objects: entries are appended, never edited).
    static int SharedPrefix<T>(List<T> before, List<T> after)
        where T : class
    {
        int n = 0;
        while (n < before.Count && n < after.Count && ReferenceEquals(before[n], after[n]))
        {
            n++;
        }

        return n;
    }
}
