using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Rolls back a completed change on an operator's request (POST /api/changes/{id}/rollback): the same compensations,
/// read-backs and evidence chain as a rollback during the change, continuing the change's own record.
/// </summary>
public sealed class RollbackOrchestrator : TaskOrchestrator<RollbackInput, ChangeOutcome>
{
    public override async Task<ChangeOutcome> RunAsync(TaskOrchestrationContext context, RollbackInput input)
    {
        ChangeRecord? record = await context.CallActivityAsync<ChangeRecord?>(nameof(LoadChange), input, Durable.Retry);
        if (record is not { Status: ChangeStatuses.Completed, Plan: not null })
        {
            return new ChangeOutcome(record?.Status ?? "not_found", "only a completed change can be rolled back after it finished");
        }

        ChangeSaga saga = ChangeSaga.Continuing(context, record);
        try
        {
            return await RollBackFinishedAsync(saga, input);
        }
        catch (Exception ex) when (Durable.IsFailure(ex))
        {
            // The same failure boundary as the change's own run: ends rollback_failed once compensation started, else completed.
            return await saga.EndAfterFailureAsync(ex);
        }
    }

    // The compensations of every applied step, LIFO, under the change's locks.
    static async Task<ChangeOutcome> RollBackFinishedAsync(ChangeSaga saga, RollbackInput request)
    {
        ChangeJournal journal = saga.Journal;
        Plan plan = journal.Record.Plan!;
        List<PlanStep> applied = journal.AppliedSteps();
        bool forced = request.Force == true;
        string trigger = $"rollback requested by {request.RequestedBy}" + (forced ? " (forced over conflicts)" : string.Empty) + (request.Reason is null ? string.Empty : ": " + request.Reason);
        journal.Record = journal.Record with
        {
            OperatorCommands = [.. journal.Record.OperatorCommands, new OperatorCommand(OperatorActions.Rollback, request.RequestedBy, request.Reason, request.At, request.RequestedByName)],
            Rollback = journal.Record.Rollback with { RequestedBy = request.RequestedBy, Forced = forced ? true : null },
        };
        journal.Trace(trigger);
        if (await saga.Locks.TryAcquireAsync(plan) is { } notLocked)
        {
            return await saga.Audit.FinishAsync(ChangeStatuses.Completed, $"rollback not run: {notLocked}");
        }

        // Not forced: a resource changed since this change is left as it is, never overwritten blindly (conflict).
        saga.Compensation.GuardAfterImages = !forced;
        saga.Compensation.RegisterApplied(applied);
        return await saga.RollBackAsync(applied, trigger);
    }
}
