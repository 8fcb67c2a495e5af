using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Phase 3: captures the step's before-image, then applies the step through its provider, starting from the read the
/// image was made from (one read per step). Idempotent per (change, step).
/// </summary>
public sealed class ApplyStep(ProviderRegistry providers, BeforeImageCapture beforeImages) : TaskActivity<StepRequest, StepRecord>
{
    // A simulated step is labelled and outputs are redacted here, before they become the activity's result in the task hub's history.
    // The image is kept write-once before the provider writes, so a retried attempt finds the first image, never its own after-state.
    public override async Task<StepRecord> RunAsync(TaskActivityContext context, StepRequest input)
    {
        using CancellationTokenSource budget = ActivityBudget.Start();
        IChangeProvider provider = providers.Get(input.Provider);
        CapturedImage image = await beforeImages.CaptureAsync(provider, input, budget.Token);
        StepRecord record = await UpmTelemetry.TraceStepAsync(
            "apply", input, () => image.Read is { } read ? provider.ApplyAsync(input, read, budget.Token) : provider.ApplyAsync(input, budget.Token));
        return SecretScreen.Redact(SimulatedRuns.Mark(input.Provider, record)) with { BeforeImageSha256 = image.Sha256 };
    }
}
