using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 3: applies one plan step through its provider. Idempotent per (change, step).</summary>
public sealed class ApplyStep(ProviderRegistry providers) : TaskActivity<StepRequest, StepRecord>
{
    public override Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input) =>
        UpmTelemetry.TraceStepAsync("apply", input, () => providers.Get(input.Provider).ApplyAsync(input, CancellationToken.None));
}
