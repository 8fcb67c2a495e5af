using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>Runs one step's activity (apply or compensate) for a change, and records a step that failed.</summary>
public sealed class StepRunner(TaskOrchestrationContext context, ChangeInput input)
{
    // Every mutating step first takes a permit of its provider's rate limit (docs/rate-limits.md).
    readonly RateLimitedSteps limited = new(context, input.Tenant, input.ChangeId, input.Spec.Provider, Durable.Retry);

    /// <summary>
    /// A step's activity, after a permit of its provider's rate limit (orchestrations started at 1.1 or later); a long-running operation (ARM) is waited for on
    /// durable timers between short polls, never inside one activity.
    /// <paramref name="guardAfterImage"/>: a compensation leaves a resource changed since this change (rollback of a finished change, not forced).
    /// </summary>
    public Task<StepRecord> RunAsync(string activity, PlanStep step, bool guardAfterImage = false) => context.CompareVersionTo(OrchestrationPaths.RateLimits) >= 0
        ? limited.RunAsync(activity, StepRequestFor(step, guardAfterImage))
        : DurableStep.RunAsync(context, activity, StepRequestFor(step, guardAfterImage), Durable.Retry);

    StepRequest StepRequestFor(PlanStep step, bool guardAfterImage) =>
        new() { Tenant = input.Tenant, ChangeId = input.ChangeId, Step = step, Provider = input.Spec.Provider, Faults = input.Spec.Faults, GuardAfterImage = guardAfterImage ? true : null };

    /// <summary>The record of a step that failed (the target refused it, or its activity failed after retries).</summary>
    public StepRecord Failed(PlanStep step, Exception? error)
    {
        TaskFailureDetails? details = (error as TaskFailedException ?? error?.InnerException as TaskFailedException)?.FailureDetails;
        return SimulatedRuns.Mark(input.Spec.Provider, new StepRecord
        {
            StepId = step.Id,
            Wave = step.Wave,
            Cmd = step.Command,
            Rc = 1,
            Stderr = details?.ErrorMessage ?? error?.Message ?? "failed",
            Outcome = StepOutcomes.Failed,
            StartedAt = context.CurrentUtcDateTime,
            FinishedAt = context.CurrentUtcDateTime,
        });
    }
}
