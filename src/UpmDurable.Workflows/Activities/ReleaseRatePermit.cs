using Microsoft.DurableTask;
using UpmDurable.Storage;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Activities;

/// <summary>Execute: gives a step's in-flight slot back when the step ended, however it ended. Idempotent.</summary>
public sealed class ReleaseRatePermit(RateLimiter limiter) : TaskActivity<RatePermitRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RatePermitRequest input)
    {
        await limiter.ReleaseAsync(input.Scope.Provider, input.Scope.Target, input.Holder);
        return true;
    }
}
