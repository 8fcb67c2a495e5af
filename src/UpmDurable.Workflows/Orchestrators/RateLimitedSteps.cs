using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Runs a change's mutating steps (apply and compensate) through their provider's rate limiter: a permit before the step,
/// its in-flight slot given back after it, also when it failed. Waiting for a permit is durable timers between short
/// <see cref="AcquireRatePermit"/> activities, never an activity that blocks; a step that waited says so in its record
/// (<see cref="StepRecord.RateLimited"/>). A provider without a limit costs one lookup per change and nothing per step.
/// Deterministic: every answer and delay comes from an activity result in history.
/// </summary>
public sealed class RateLimitedSteps(TaskOrchestrationContext context, string tenant, string changeId, string provider, TaskOptions? options)
{
    /// <summary>How long a step waits for a permit before it fails (as a change waits for resource locks).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromHours(6);

    /// <summary>A backstop on permit requests per step; the delays reach <see cref="WaitLimit"/> long before it.</summary>
    public const int MaxAttempts = 5000;

    // Looked up once, at the change's first step, and kept: every step of the change counts against the same limiter.
    Task<RateLimitScope?>? scope;

    /// <summary>The step's final record (with the wait, when it waited); throws <see cref="TaskFailedException"/> when the step failed or no permit came in time.</summary>
    public async Task<StepRecord> RunAsync(string activity, StepRequest request)
    {
        RateLimitScope? limiter = await (scope ??= context.CallActivityAsync<RateLimitScope?>(nameof(LookUpRateLimit), new RateLimitLookup(provider, tenant), options));
        if (limiter is null)
        {
            return await DurableStep.RunAsync(context, activity, request, options);
        }

        var permit = new RatePermitRequest(limiter, $"{changeId}/{request.Step.Id}/{activity}");
        RateLimitWait? waited = await AcquireAsync(permit, request.Step.Id);
        try
        {
            StepRecord record = await DurableStep.RunAsync(context, activity, request, options);
            return waited is null ? record : record with { RateLimited = waited };
        }
        finally
        {
            await ReleaseAsync(permit);
        }
    }

    // Null when the first request was granted; else how long and how many requests it took.
    async Task<RateLimitWait?> AcquireAsync(RatePermitRequest permit, string stepId)
    {
        DateTime started = context.CurrentUtcDateTime;
        for (int attempt = 1; ; attempt++)
        {
            RatePermit answer = await context.CallActivityAsync<RatePermit>(nameof(AcquireRatePermit), permit, options);
            TimeSpan waited = context.CurrentUtcDateTime - started;
            if (answer.Granted)
            {
                return attempt == 1 ? null : new RateLimitWait((long)waited.TotalMilliseconds, attempt);
            }

            if (waited >= WaitLimit || attempt >= MaxAttempts)
            {
                await ReleaseAsync(permit); // Gives up its place in line.
                throw new TaskFailedException(nameof(AcquireRatePermit), 0, new TaskFailureDetails(
                    typeof(TimeoutException).FullName!,
                    $"{stepId}: no permit from the {permit.Scope.Provider} rate limit ({permit.Scope.Limit}) after {waited:c} and {attempt} requests; the step did not run",
                    null,
                    null,
                    null));
            }

            TimeSpan delay = TimeSpan.FromMilliseconds(Math.Max(answer.RetryAfterMs, RateBucket.MinRetryAfter.TotalMilliseconds));
            await context.CreateTimer(delay, CancellationToken.None);
        }
    }

    // A release that fails after its retries is logged, not raised: the slot's lease gives it back (RateLimit.LeaseMinutes).
    async Task ReleaseAsync(RatePermitRequest permit)
    {
        try
        {
            await context.CallActivityAsync<bool>(nameof(ReleaseRatePermit), permit, options);
        }
        catch (TaskFailedException ex)
        {
            context.CreateReplaySafeLogger<RateLimitedSteps>().LogWarning(
                "Rate-limit slot of {Holder} not given back ({Error}); its lease ends it", permit.Holder, ex.FailureDetails.ErrorMessage);
        }
    }
}
