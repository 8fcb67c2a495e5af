using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;

namespace UpmDurable.Workflows.Activities;

/// <summary>Rollback: undoes one step (removes what this change created). Idempotent per (change, step).</summary>
public sealed class CompensateStep(ProviderRegistry providers) : TaskActivity<StepRequest, StepRecord>
{
    public override Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input) =>
        providers.Get(input.Provider).CompensateAsync(input, CancellationToken.None);
}
