using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 3: applies one plan step through its provider. Idempotent per (change, step).</summary>
public sealed class ApplyStep(ProviderRegistry providers) : TaskActivity<StepRequest, StepRecord>
{
    // A simulated step is labelled and outputs are redacted here, before they become the activity's result in the task hub's history.
    public override async Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input)
    {
        using CancellationTokenSource budget = ActivityBudget.Start();
        StepRecord record = await UpmTelemetry.TraceStepAsync("apply", input, () => providers.Get(input.Provider).ApplyAsync(input, budget.Token));
        return SecretScreen.Redact(SimulatedRuns.Mark(input.Provider, record));
    }
}
