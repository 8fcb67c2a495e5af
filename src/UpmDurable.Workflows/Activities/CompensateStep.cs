using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Rollback: undoes one step from its before-image (deletes what it created, restores what it updated, re-creates what
/// it deleted). Idempotent per (change, step).
/// </summary>
public sealed class CompensateStep(ProviderRegistry providers, StepRestore restore) : TaskActivity<StepRequest, StepRecord>
{
    // A simulated step is labelled and outputs are redacted here, before they become the activity's result in the task hub's history.
    public override async Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input)
    {
        using CancellationTokenSource budget = ActivityBudget.Start();
        StepRecord record = await UpmTelemetry.TraceStepAsync("compensate", input, () => restore.RunAsync(providers.Get(input.Provider), input, budget.Token));
        return SecretScreen.Redact(SimulatedRuns.Mark(input.Provider, record));
    }
}
