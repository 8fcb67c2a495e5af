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
    static readonly TaskOptions Retry = ChangeOrchestrator.Retry;

    public override async Task<ChangeOutcome> RunAsync(TaskOrchestrationContext context, RollbackInput input)
    {
        ChangeRecord? record = await context.CallActivityAsync<ChangeRecord?>(nameof(LoadChange), input, Retry);
        if (record is not { Status: ChangeStatuses.Completed, Plan: not null })
        {
            return new ChangeOutcome(record?.Status ?? "not_found", "only a completed change can be rolled back after it finished");
        }

        var change = new ChangeInput(record.ChangeId, record.Tenant, record.Initiator, record.SubmittedAt, record.Intent);
        var run = new ChangeOrchestrator.Run(context, change, record);
        try
        {
            return await run.RollbackFinishedAsync(input);
        }
        catch (Exception ex) when (ChangeOrchestrator.IsFailure(ex))
        {
            // The same failure boundary as the change's own run: ends rollback_failed once compensation started, else completed.
            return await run.EndAfterFailureAsync(ex);
        }
    }
}
