using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 4: reads every applied resource back, checks its health, diffs it against the plan and records the baseline.</summary>
public sealed class VerifyChange(ProviderRegistry providers) : TaskActivity<VerifyInput, VerifyReport>
{
    public override async Task<VerifyReport> RunAsync(TaskActivityContext context, VerifyInput input)
    {
        using Activity? span = UpmTelemetry.Start("upm.verify", input.ChangeId, input.Tenant, Phases.Verify);
        span?.SetTag(UpmTelemetry.Attributes.Provider, input.Provider);
        span?.SetTag(UpmTelemetry.Attributes.Steps, input.Steps.Count);
        var clock = Stopwatch.StartNew();
        IChangeProvider provider = providers.Get(input.Provider);
        var checks = new List<VerifyCheck>();
        var diff = new List<DiffEntry>();
        var baseline = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (PlanStep step in input.Steps)
        {
            ResourceState? state = await provider.ReadAsync(input.Tenant, step.Type, step.Name, CancellationToken.None);
            if (state is null)
            {
                checks.Add(new VerifyCheck(step.HealthCheck, step.Id, false, "read-back found nothing"));
                diff.Add(new DiffEntry(step.Id, "exists", "true", "false"));
                continue;
            }

            var actual = new SortedDictionary<string, string>(state.Fields, StringComparer.Ordinal);
            baseline[step.Id] = actual;
            SortedDictionary<string, string> intended = ResourceFields.Of(step.Resource);
            foreach (string field in intended.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
            {
                intended.TryGetValue(field, out string? want);
                actual.TryGetValue(field, out string? have);
                if (want != have)
                {
                    diff.Add(new DiffEntry(step.Id, field, want, have));
                }
            }

            bool healthy = state.Health == "healthy";
            checks.Add(new VerifyCheck(step.HealthCheck, step.Id, healthy, healthy ? "healthy" : $"resource reports {state.Health}"));
        }

        span?.SetTag(UpmTelemetry.Attributes.Outcome, checks.All(c => c.Ok) && diff.Count == 0 ? "ok" : "failed");
        checks.Add(new VerifyCheck("state_diff", "plan", diff.Count == 0, diff.Count == 0 ? "read-back matches the plan" : $"{diff.Count} field(s) differ from the plan"));
        return new VerifyReport
        {
            Ok = checks.All(c => c.Ok),
            Checks = checks,
            Diff = diff,
            BaselineHash = CanonicalJson.Hash(baseline),
            LatencyMs = clock.ElapsedMilliseconds,
        };
    }
}
