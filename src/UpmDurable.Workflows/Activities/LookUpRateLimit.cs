using Microsoft.DurableTask;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Activities;

/// <summary>Execute: the limiter a change's steps go through, or null when its provider has no limit. Read-only.</summary>
public sealed class LookUpRateLimit(ProviderRateLimits limits) : TaskActivity<RateLimitLookup, RateLimitScope?>
{
    public override Task<RateLimitScope?> RunAsync(TaskActivityContext context, RateLimitLookup input) =>
        Task.FromResult(limits.ScopeOf(input.Provider, input.Tenant));
}
