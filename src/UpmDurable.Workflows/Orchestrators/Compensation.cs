using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Phase 5's saga: a compensation is registered before each step runs, and a rollback runs them last in first out (one
/// that fails is recorded and the rest still run), then reads back every compensated resource. Shared by
/// <see cref="ChangeOrchestrator"/> and <see cref="RollbackOrchestrator"/>.
/// </summary>
public sealed class Compensation(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, StepRunner steps)
{
    readonly List<PlanStep> compensations = [];

    /// <summary>Set when a rollback started: a failure after it ends the change rollback_failed, never a second rollback.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Set by the rollback of a finished change that is not forced: each compensation first checks its resource still
    /// equals this change's after-image and leaves it (outcome <c>conflict</c>) when a later change or a person changed it.
    /// </summary>
    public bool GuardAfterImages { get; set; }

    /// <summary>Whether any compensation is registered (some step ran or started).</summary>
    public bool Any => compensations.Count > 0;

    /// <summary>Registers the compensation of a step, before the step runs.</summary>
    public void Register(PlanStep step) => compensations.Add(step);

    /// <summary>Registers the compensations of steps a finished change applied (rollback after completion).</summary>
    public void RegisterApplied(IEnumerable<PlanStep> applied) => compensations.AddRange(applied);

    /// <summary>
    /// Runs the registered compensations LIFO and reads back what they undid; answers the final status
    /// (<c>rolled_back</c>, or <c>rollback_failed</c> when one failed or left something behind) and the reason.
    /// </summary>
    public async Task<PhaseResult> RollBackAsync(List<PlanStep> applied, string trigger)
    {
        // From here on nothing stops the compensations: an evidence write that fails is traced (the final audit record
        // carries the whole record) and a failed read-back makes the rollback failed, not the orchestration.
        Started = true;
        journal.EnterPhase(Phases.Audit, ChangeStatuses.RollingBack);
        journal.Record = journal.Record with { Rollback = journal.Record.Rollback with { Executed = true, Trigger = trigger, DetectedAt = context.CurrentUtcDateTime } };
        journal.Trace($"rollback started ({trigger}): {compensations.Count} compensations, last in first out");
        await journal.CheckpointOrTraceAsync(EvidenceKinds.RollbackStarted, new { trigger, steps = compensations.Select(c => c.Id).Reverse().ToList(), applied = applied.Select(a => a.Id).ToList() });

        bool failed = false;
        var unrestored = new List<string>();
        for (int i = compensations.Count - 1; i >= 0; i--)
        {
            PlanStep step = compensations[i];
            StepRecord result;
            try
            {
                result = await steps.RunAsync(nameof(CompensateStep), step, GuardAfterImages);
            }
            catch (TaskFailedException ex)
            {
                failed = true;
                result = steps.Failed(step, ex) with { Cmd = step.Rollback };
                context.CreateReplaySafeLogger<ChangeOrchestrator>().LogWarning("Compensation of {Step} in change {ChangeId} failed: {Error}", step.Id, input.ChangeId, ex.FailureDetails.ErrorMessage);
            }

            journal.Record = journal.Record with { Rollback = journal.Record.Rollback with { Steps = [.. journal.Record.Rollback.Steps, result] } };
            journal.Trace($"rollback step {step.Id}: {result.Outcome}");
            if (StepOutcomes.LeftUnrestored(result))
            {
                unrestored.Add($"{step.Type}/{step.Name} ({result.Outcome}: {result.Stdout})");
            }
        }

        // Read back what was compensated: the evidence that the resources are gone (or were kept because they existed before).
        List<RollbackReadBack> readBacks;
        try
        {
            readBacks = await context.CallActivityAsync<List<RollbackReadBack>>(
                nameof(VerifyRollback), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, compensations.AsEnumerable().Reverse().ToList()), Durable.Retry);
        }
        catch (TaskFailedException ex)
        {
            // Unread is not proven gone: every compensated resource counts as left behind until someone looks.
            readBacks = [];
            failed = true;
            trigger += $"; rollback read-back failed after retries ({ex.FailureDetails.ErrorMessage}), so nothing is proven gone";
        }

        var leftBehind = readBacks.Count == 0 && compensations.Count > 0 && failed
            ? compensations.Select(c => $"{c.Type}/{c.Name}").ToList()
            : readBacks.Where(r => r.State == "left_behind").Select(r => r.Resource).ToList();
        failed |= leftBehind.Count > 0 || unrestored.Count > 0 || readBacks.Any(r => r.State == "not_restored");
        if (unrestored.Count > 0)
        {
            trigger += $"; left as they are: {string.Join("; ", unrestored)}";
        }

        journal.Record = journal.Record with { Rollback = journal.Record.Rollback with { ReadBacks = readBacks, LeftBehind = leftBehind, VerifiedAt = context.CurrentUtcDateTime } };
        journal.Trace(leftBehind.Count == 0 ? $"rollback verified: {readBacks.Count(r => r.State == "gone")} gone, {readBacks.Count(r => r.State == "kept")} kept" : $"rollback left behind: {string.Join(", ", leftBehind)}");
        await journal.CheckpointOrTraceAsync(EvidenceKinds.Rollback, journal.Record.Rollback);
        return PhaseResult.Finish(failed ? ChangeStatuses.RollbackFailed : ChangeStatuses.RolledBack, trigger);
    }
}
