using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The resource locks of a change: every resource of the plan taken all or nothing before the first step, so two changes
/// never mutate one resource at once; while another change holds one, the change waits on durable timers, visibly
/// (<c>waiting_for_lock</c>, naming the holder). Released when the change ends, making a completed change their owner.
/// </summary>
public sealed class LockGate(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, OperatorChannel operators)
{
    /// <summary>How long a change waits for another change's resource locks before it fails.</summary>
    public static readonly TimeSpan LockWaitLimit = TimeSpan.FromHours(6);

    List<ResourceKeyRef>? locked;

    // The resources an acquire was attempted for; released by the failure boundary (never with an owner) if it threw.
    List<ResourceKeyRef>? lockAttempt;
    bool releaseWithoutOwner;

    /// <summary>Continue once every lock is taken; finish failed (wait limit) or aborted (operator) otherwise.</summary>
    public async Task<PhaseResult> AcquireAsync(Plan plan)
    {
        string? failure = await TryAcquireAsync(plan);
        return failure is null
            ? PhaseResult.Continue
            : PhaseResult.Finish(operators.AbortedBy is null ? ChangeStatuses.Failed : ChangeStatuses.Aborted, operators.AbortedBy ?? failure);
    }

    /// <summary>Takes every lock of the plan; answers null when taken, else why not (the operator's abort is on <see cref="OperatorChannel"/>).</summary>
    public async Task<string?> TryAcquireAsync(Plan plan)
    {
        var resources = Storage.ResourceKey.OfSteps(input.Spec.Provider, plan.Steps).Select(ResourceKeyRef.From).ToList();
        var request = new LockRequest(input.Tenant, input.ChangeId, resources);

        // An acquire that fails after its retries may have taken some rows: the failure boundary gives back whatever is ours.
        lockAttempt = resources;
        DateTime giveUp = context.CurrentUtcDateTime + LockWaitLimit;
        TimeSpan delay = TimeSpan.FromSeconds(2);
        string holders = string.Empty;

        // Bounded: at most 30 s between attempts, so the wait limit is reached well before the last attempt.
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            List<Storage.ResourceHolder> held = await context.CallActivityAsync<List<Storage.ResourceHolder>>(nameof(AcquireResourceLocks), request, Durable.Retry);
            if (held.Count == 0)
            {
                locked = resources;
                if (journal.Record.Status == ChangeStatuses.WaitingForLock)
                {
                    journal.Record = journal.Record with { Status = ChangeStatuses.Running, Reason = null };
                    journal.Trace("resource locks taken");
                    await journal.CheckpointAsync(EvidenceKinds.LockAcquired, new { resources = resources.Count });
                }

                return null;
            }

            holders = string.Join(", ", held.Take(5).Select(h => $"{h.Resource} ({h.HeldBy})"));
            if (context.CurrentUtcDateTime >= giveUp)
            {
                return $"resources still locked by other changes after {LockWaitLimit}: {holders}";
            }

            if (journal.Record.Status != ChangeStatuses.WaitingForLock)
            {
                journal.Record = journal.Record with { Status = ChangeStatuses.WaitingForLock, Reason = $"waiting for resource locks: {holders}" };
                journal.Trace($"waiting for resource locks: {holders}");
                await journal.CheckpointAsync(EvidenceKinds.LockWait, held);
            }

            using var cancel = new CancellationTokenSource();
            Task timer = context.CreateTimer(delay, cancel.Token);
            if (await Task.WhenAny(timer, operators.NextCommand) != timer)
            {
                cancel.Cancel();
                operators.Take();
                if (operators.AbortedBy is not null)
                {
                    return operators.AbortedBy;
                }
            }

            delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
        }

        return $"resources still locked by other changes: {holders}";
    }

    /// <summary>After a failure: locks an acquire may have taken half-way are given back too (never with an owner).</summary>
    public void ReleaseAttemptAfterFailure()
    {
        if (locked is null && lockAttempt is not null)
        {
            locked = lockAttempt;
            releaseWithoutOwner = true;
        }
    }

    /// <summary>Releases the locks (once); a completed change becomes its resources' owner.</summary>
    public async Task ReleaseAsync(string status)
    {
        if (locked is null)
        {
            return;
        }

        // A completed change owns its resources' intended state (a remediation restores its original's, which keeps it).
        string? owner = status == ChangeStatuses.Completed && !releaseWithoutOwner ? input.RemediationOf ?? input.ChangeId : null;
        await context.CallActivityAsync<bool>(nameof(ReleaseResourceLocks), new LockRequest(input.Tenant, input.ChangeId, locked, owner), Durable.Retry);
        locked = null;
    }
}
