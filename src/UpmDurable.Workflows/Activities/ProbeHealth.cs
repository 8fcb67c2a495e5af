using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Diagnostics;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 3 health gate: probes every resource of a wave once and reports the healthy share.</summary>
public sealed class ProbeHealth(ProviderRegistry providers, TimeProvider clock, ActivityFaults faults) : TaskActivity<VerifyInput, HealthProbe>
{
    public override async Task<HealthProbe> RunAsync(TaskActivityContext context, VerifyInput input)
    {
        await faults.ThrowIfInjectedAsync(input.Tenant, input.ChangeId, "probe");
        using CancellationTokenSource budget = ActivityBudget.Start();
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(providers.Get(input.Provider), input.Tenant, input.Steps, budget.Token);
        var unhealthy = input.Steps.Where((_, i) => states[i] is not { Health: "healthy" }).Select(s => s.Id).ToList();
        int total = input.Steps.Count;
        int healthy = total - unhealthy.Count;
        return new HealthProbe(input.Steps.FirstOrDefault()?.Wave ?? 0, healthy, total, total == 0 ? 100 : Math.Round(100.0 * healthy / total, 2), unhealthy, clock.GetUtcNow());
    }
}
