using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 2: prerequisites, collisions, dry run, policy packs, change window and annotation — see <see cref="Preflight"/>.</summary>
public sealed class RunPreflight(Preflight preflight) : TaskActivity<PreflightInput, PreflightReport>
{
    public override async Task<PreflightReport> RunAsync(TaskActivityContext context, PreflightInput input)
    {
        using Activity? span = UpmTelemetry.Start("upm.preflight", input.ChangeId, input.Tenant, Phases.Preflight);
        span?.SetTag(UpmTelemetry.Attributes.Provider, input.Provider);
        span?.SetTag(UpmTelemetry.Attributes.Steps, input.Plan.Steps.Count);
        try
        {
            using CancellationTokenSource budget = ActivityBudget.Start();
            PreflightReport report = await preflight.RunAsync(input, budget.Token);
            span?.SetTag(UpmTelemetry.Attributes.Outcome, report.Ok ? "ok" : "failed");
            return report;
        }
        catch (Exception ex)
        {
            UpmTelemetry.Fail(span, ex);
            throw;
        }
    }
}
