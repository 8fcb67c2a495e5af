using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The parts of one orchestration run of a change, wired once: the journal every phase writes to, the operator channel,
/// the phases, the compensation saga and the audit that ends the change. <see cref="ChangeOrchestrator"/> runs a new
/// change through it; <see cref="RollbackOrchestrator"/> continues a finished one.
/// </summary>
public sealed class ChangeSaga
{
    readonly TaskOrchestrationContext context;
    readonly ChangeInput input;

    public ChangeSaga(TaskOrchestrationContext context, ChangeInput input)
        : this(context, input, new ChangeJournal(context, input), continuesFinishedChange: false)
    {
    }

    ChangeSaga(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, bool continuesFinishedChange)
    {
        this.context = context;
        this.input = input;
        ContinuesFinishedChange = continuesFinishedChange;
        Journal = journal;
        Operators = new OperatorChannel(context, input, journal);
        var steps = new StepRunner(context, input);
        Plan = new PlanPhase(context, input, journal);
        Approvals = new ApprovalGate(context, input, journal, Operators);
        Locks = new LockGate(context, input, journal, Operators);
        Compensation = new Compensation(context, input, journal, steps);
        Execution = new ExecutionPhase(input, journal, Operators, new WindowGate(context, input, journal), new HealthGateCheck(context, input, journal, Operators), steps, Compensation);
        Verify = new VerifyPhase(context, input, journal, Operators);
        Audit = new ChangeAudit(context, input, journal, Locks);
    }

    /// <summary>Continues a finished change (rollback after completion) from its stored record.</summary>
    public static ChangeSaga Continuing(TaskOrchestrationContext context, ChangeRecord stored) =>
        new(context, new ChangeInput(stored.ChangeId, stored.Tenant, stored.Initiator, stored.SubmittedAt, stored.Intent) { Plan = stored.Plan, InitiatorName = stored.InitiatorName }, new ChangeJournal(context, stored), continuesFinishedChange: true);

    public ChangeJournal Journal { get; }

    public OperatorChannel Operators { get; }

    public PlanPhase Plan { get; }

    public ApprovalGate Approvals { get; }

    public LockGate Locks { get; }

    public ExecutionPhase Execution { get; }

    public VerifyPhase Verify { get; }

    public Compensation Compensation { get; }

    public ChangeAudit Audit { get; }

    /// <summary>A continued finished change that fails before its rollback starts stays completed.</summary>
    public bool ContinuesFinishedChange { get; }

    /// <summary>Ends the change as a phase said: finish with its status, or compensate what was applied first.</summary>
    public async Task<ChangeOutcome> EndAsync(PhaseResult result, List<PlanStep> applied) => result.Outcome switch
    {
        PhaseOutcome.RollBack => await RollBackAsync(applied, result.Reason!),
        PhaseOutcome.Finish => await Audit.FinishAsync(result.Status!, result.Reason),
        _ => throw new InvalidOperationException("a change that goes on has not ended"),
    };

    /// <summary>Runs the compensations last in first out, then ends the change rolled_back or rollback_failed.</summary>
    public async Task<ChangeOutcome> RollBackAsync(List<PlanStep> applied, string trigger)
    {
        PhaseResult rolledBack = await Compensation.RollBackAsync(applied, trigger);
        return await Audit.FinishAsync(rolledBack.Status!, rolledBack.Reason);
    }

    /// <summary>
    /// The failure boundary's end of a change: records the failure, compensates the steps that ran (unless a rollback
    /// already started: then it ends rollback_failed), releases the locks and writes the final record. A continued
    /// finished change (rollback after completion) that fails before its rollback starts stays completed.
    /// </summary>
    public async Task<ChangeOutcome> EndAfterFailureAsync(Exception error)
    {
        string what = Durable.Describe(error);
        string phase = Journal.Record.Phase;
        Journal.EvidenceFrozen |= Durable.IsEvidenceConflict(error);
        context.CreateReplaySafeLogger<ChangeOrchestrator>().LogError("Change {ChangeId} failed in {Phase}: {Error}", input.ChangeId, phase, what);
        Journal.Trace($"{phase} failed after retries: {what}");
        Locks.ReleaseAttemptAfterFailure();

        await Journal.CheckpointOrTraceAsync(EvidenceKinds.Failure, new { phase, task = (error as TaskFailedException)?.TaskName, error = what, applied = Journal.AppliedSteps().Select(s => s.Id).ToList() });
        string reason = $"{phase} failed: {what}";
        if (Compensation.Started)
        {
            return await Audit.FinishAsync(ChangeStatuses.RollbackFailed, $"{Journal.Record.Rollback.Trigger}; then {reason}");
        }

        if (Compensation.Any)
        {
            return await RollBackAsync(Journal.AppliedSteps(), reason);
        }

        return ContinuesFinishedChange
            ? await Audit.FinishAsync(ChangeStatuses.Completed, $"rollback not run: {reason}")
            : await Audit.FinishAsync(ChangeStatuses.Failed, reason);
    }
}
