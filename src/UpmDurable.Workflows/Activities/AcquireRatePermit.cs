using Microsoft.DurableTask;
using UpmDurable.Storage;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Execute: asks the (provider, target) limiter for a step's permit and answers at once — granted, or ask again after a
/// delay the orchestration waits on a durable timer. Never waits itself. Idempotent per holder.
/// </summary>
public sealed class AcquireRatePermit(RateLimiter limiter) : TaskActivity<RatePermitRequest, RatePermit>
{
    public override Task<RatePermit> RunAsync(TaskActivityContext context, RatePermitRequest input) =>
        limiter.AcquireAsync(input.Scope.Provider, input.Scope.Target, input.Holder, input.Scope.Limit);
}
