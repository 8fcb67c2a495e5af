using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Diagnostics;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 4: reads every applied resource back, checks its health, diffs it against the plan and records the baseline.</summary>
public sealed class VerifyChange(ProviderRegistry providers, ActivityFaults faults) : TaskActivity<VerifyInput, VerifyReport>
{
    public override async Task<VerifyReport> RunAsync(TaskActivityContext context, VerifyInput input)
    {
        await faults.ThrowIfInjectedAsync(input.Tenant, input.ChangeId, "verify_read");
        using Activity? span = UpmTelemetry.Start("upm.verify", input.ChangeId, input.Tenant, Phases.Verify);
        span?.SetTag(UpmTelemetry.Attributes.Provider, input.Provider);
        span?.SetTag(UpmTelemetry.Attributes.Steps, input.Steps.Count);
        var clock = Stopwatch.StartNew();
        using CancellationTokenSource budget = ActivityBudget.Start();
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(providers.Get(input.Provider), input.Tenant, input.Steps, budget.Token);
        ResourceReadBack.Comparison comparison = ResourceReadBack.Compare(input.Steps, states);
        var checks = comparison.Checks;
        checks.Add(new VerifyCheck("state_diff", "plan", comparison.Diff.Count == 0, comparison.Diff.Count == 0 ? "read-back matches the plan" : $"{comparison.Diff.Count} field(s) differ from the plan"));
        span?.SetTag(UpmTelemetry.Attributes.Outcome, checks.All(c => c.Ok) ? "ok" : "failed");
        return new VerifyReport
        {
            Ok = checks.All(c => c.Ok),
            Checks = checks,
            Diff = comparison.Diff,
            BaselineHash = comparison.StateHash,
            LatencyMs = clock.ElapsedMilliseconds,
        };
    }
}
