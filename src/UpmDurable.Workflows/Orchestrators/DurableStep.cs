using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Runs a step's activity and, while its provider answers <c>pending</c> (a long-running ARM operation), waits on durable
/// timers between short <see cref="PollStepOperation"/> activities until the operation ends or its wait bound passes.
/// Sandbox and cli answer a final record at once: for them this is the one activity call it always was.
/// Deterministic: the time is the orchestration's, every delay comes from an activity result in history.
/// </summary>
public static class DurableStep
{
    /// <summary>The wait bound on one operation when the provider names none.</summary>
    public static readonly TimeSpan DefaultWaitLimit = TimeSpan.FromHours(2);

    /// <summary>The longest wait bound a provider may ask for.</summary>
    public static readonly TimeSpan MaxWaitLimit = TimeSpan.FromHours(24);

    /// <summary>The poll delay when the provider gives none.</summary>
    public static readonly TimeSpan DefaultPollDelay = TimeSpan.FromSeconds(5);

    /// <summary>Shortest durable timer between two polls (the Azure Storage backend's timers have whole-second resolution).</summary>
    public static readonly TimeSpan MinPollDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest durable timer between two polls, also when the target's <c>Retry-After</c> asks for more.</summary>
    public static readonly TimeSpan MaxPollDelay = TimeSpan.FromMinutes(5);

    /// <summary>A backstop on polls per operation; the delays reach the bound long before it (about 100 polls for 2 h).</summary>
    public const int MaxPolls = 5000;

    /// <summary>The step's final record; throws <see cref="TaskFailedException"/> when the step failed or its wait passed the bound.</summary>
    public static async Task<StepRecord> RunAsync(TaskOrchestrationContext context, string activity, StepRequest request, TaskOptions? options)
    {
        StepRecord record = await context.CallActivityAsync<StepRecord>(activity, request, options);
        if (record.Pending is null)
        {
            return record;
        }

        DateTime started = context.CurrentUtcDateTime;
        TimeSpan limit = WaitLimit(record.Pending);
        for (int polls = 0; record.Pending is { } operation; polls++)
        {
            TimeSpan waited = context.CurrentUtcDateTime - started;
            if (waited >= limit || polls >= MaxPolls)
            {
                throw WaitExceeded(request, operation, waited, limit);
            }

            await context.CreateTimer(NextPollDelay(operation, waited, limit - waited), CancellationToken.None);
            record = await context.CallActivityAsync<StepRecord>(nameof(PollStepOperation), new StepPoll(request, record), options);
        }

        return record;
    }

    /// <summary>
    /// The target's <c>Retry-After</c> within [<see cref="MinPollDelay"/>, <see cref="MaxPollDelay"/>], and at least a tenth
    /// of the time already waited (a long operation is polled less often, so its history stays small), never past the bound.
    /// </summary>
    public static TimeSpan NextPollDelay(PendingOperation operation, TimeSpan waited, TimeSpan remaining)
    {
        TimeSpan delay = operation.PollAfterSeconds > 0 ? TimeSpan.FromSeconds(operation.PollAfterSeconds) : DefaultPollDelay;
        delay = Max(delay, waited / 10);
        delay = delay > MaxPollDelay ? MaxPollDelay : delay;
        delay = delay > remaining ? remaining : delay;
        return Max(delay, MinPollDelay);
    }

    /// <summary>The provider's bound on the operation (within <see cref="MaxWaitLimit"/>), else <see cref="DefaultWaitLimit"/>.</summary>
    public static TimeSpan WaitLimit(PendingOperation operation) => operation.WaitLimitSeconds <= 0
        ? DefaultWaitLimit
        : TimeSpan.FromSeconds(Math.Min(operation.WaitLimitSeconds, MaxWaitLimit.TotalSeconds));

    static TaskFailedException WaitExceeded(StepRequest request, PendingOperation operation, TimeSpan waited, TimeSpan limit) =>
        new(nameof(PollStepOperation), 0, new TaskFailureDetails(
            typeof(TimeoutException).FullName!,
            $"{request.Step.Id}: {operation.Method} {operation.ResourceId} still {operation.Status ?? "running"} at the target after {waited:c}; "
                + $"the wait for one operation is bounded to {limit:c}, so the step failed (the target may still finish it: rollback reads it back)",
            null,
            null,
            null));

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
