using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Functions;

/// <summary>Activity triggers of the per-provider rate limits: each delegates to the activity class of the same name.</summary>
public sealed class RateLimitActivities(LookUpRateLimit lookUp, AcquireRatePermit acquire, ReleaseRatePermit release)
{
    [Function(nameof(LookUpRateLimit))]
    public Task<RateLimitScope?> LookUp([ActivityTrigger] RateLimitLookup input, FunctionContext context) =>
        lookUp.RunAsync(Context.Of(nameof(LookUpRateLimit), context), input);

    [Function(nameof(AcquireRatePermit))]
    public Task<RatePermit> Acquire([ActivityTrigger] RatePermitRequest input, FunctionContext context) =>
        acquire.RunAsync(Context.Of(nameof(AcquireRatePermit), context), input);

    [Function(nameof(ReleaseRatePermit))]
    public Task<bool> Release([ActivityTrigger] RatePermitRequest input, FunctionContext context) =>
        release.RunAsync(Context.Of(nameof(ReleaseRatePermit), context), input);

    /// <summary>The activity context the Workflows activities expect, built from the Functions invocation.</summary>
    sealed class Context(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;

        public static Context Of(string name, FunctionContext context) =>
            new(name, context.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? string.Empty : string.Empty);
    }
}
