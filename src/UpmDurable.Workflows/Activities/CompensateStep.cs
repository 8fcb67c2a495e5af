using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Rollback: undoes one step (removes what this change created). Idempotent per (change, step).</summary>
public sealed class CompensateStep(ProviderRegistry providers) : TaskActivity<StepRequest, StepRecord>
{
    public override Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input) =>
        UpmTelemetry.TraceStepAsync("compensate", input, () => providers.Get(input.Provider).CompensateAsync(input, CancellationToken.None));
}
