using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The end of every change: locks released, the final record and its <c>audit</c> evidence written, and the drift
/// monitor started for a completed change. Retried on durable timers well past the activity retry budget (a storage
/// outage of hours); past that the orchestration fails and the janitor of the reconciliation sweep finishes the change.
/// </summary>
public sealed class ChangeAudit(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, LockGate locks)
{
    /// <summary>Delays between attempts to finish a change whose locks or final record cannot be written (about 3.5 hours in all).</summary>
    public static readonly TimeSpan[] FinishRetryDelays =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
         TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60)];

    /// <summary>Ends the change with <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public async Task<ChangeOutcome> FinishAsync(string status, string? reason)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await FinishOnceAsync(status, reason, traced: attempt > 0);
            }
            catch (Exception ex) when (Durable.IsFailure(ex))
            {
                if (Durable.IsEvidenceConflict(ex))
                {
                    journal.EvidenceFrozen = true; // Permanent: the next attempt releases what is left and fails loudly.
                    continue;
                }

                if (attempt >= FinishRetryDelays.Length)
                {
                    throw new ChangeNotFinalizedException($"change {input.ChangeId} could not be finished as {status}: {Durable.Describe(ex)}", ex);
                }

                journal.Trace($"finishing as {status} failed ({Durable.Describe(ex)}); trying again in {FinishRetryDelays[attempt]}");
                await context.CreateTimer(FinishRetryDelays[attempt], CancellationToken.None);
            }
        }
    }

    // One attempt; a retry (traced) does not repeat the trace lines of the first.
    async Task<ChangeOutcome> FinishOnceAsync(string status, string? reason, bool traced)
    {
        await locks.ReleaseAsync(status);
        if (journal.EvidenceFrozen)
        {
            throw new ChangeNotFinalizedException($"change {input.ChangeId} would end {status}, but its evidence chain has a conflicting record: nothing more is written; the change stays failed as recorded", null);
        }

        bool monitor = status == ChangeStatuses.Completed && input.Spec.DriftMode != DriftModes.Off && input.RemediationOf is null;
        if (monitor && !traced)
        {
            journal.Trace($"drift monitor ({input.Spec.DriftMode}, every {input.Spec.DriftInterval}) starts now");
        }

        journal.EnterPhase(Phases.Audit, status);
        journal.Record = journal.Record with { Reason = reason };
        if (!traced)
        {
            journal.Trace(reason is null ? $"change {status}" : $"change {status}: {reason}");
        }

        await journal.CheckpointAsync(EvidenceKinds.Audit, new { status, reason, steps = journal.Record.Execution.Steps.Count, rollback_steps = journal.Record.Rollback.Steps.Count });

        // After the record says completed: the monitor's first check must see a completed change.
        if (monitor)
        {
            await StartDriftMonitorAsync();
        }

        return new ChangeOutcome(status, reason);
    }

    async Task StartDriftMonitorAsync()
    {
        try
        {
            await context.CallActivityAsync<bool>(
                nameof(StartDriftMonitor), new DriftMonitorInput(input.Tenant, input.ChangeId, input.Spec.DriftMode, input.Spec.DriftInterval), Durable.Retry);
        }
        catch (TaskFailedException ex)
        {
            // The reconciliation sweep starts monitors that are missing.
            context.CreateReplaySafeLogger<ChangeOrchestrator>().LogWarning("Drift monitor of change {ChangeId} not started ({Error}); the reconciliation sweep will start it", input.ChangeId, ex.FailureDetails.ErrorMessage);
        }
    }
}
