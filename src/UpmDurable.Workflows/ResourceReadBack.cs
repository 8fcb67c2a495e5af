using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;

namespace UpmDurable.Workflows;

/// <summary>
/// Reads resources back from their provider and compares them with the plan's intended state. Shared by verification,
/// health gates and drift checks, so the baseline a change records and the state a drift check hashes are computed the same way.
/// </summary>
public static class ResourceReadBack
{
    /// <summary>Reads at most this many resources at once.</summary>
    public const int Parallelism = 16;

    /// <summary>Reads every step's resource where the plan says it is (azure: by resource id), in parallel; the result keeps the steps' order.</summary>
    public static async Task<ResourceState?[]> ReadAllAsync(IChangeProvider provider, string tenant, IReadOnlyList<PlanStep> steps, CancellationToken cancellationToken)
    {
        var states = new ResourceState?[steps.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, steps.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => states[i] = await provider.ReadAsync(tenant, steps[i].Resource, ct));
        return states;
    }

    /// <summary>Health checks, field diff against the plan, and the canonical state (baseline) of what was read.</summary>
    public static Comparison Compare(IReadOnlyList<PlanStep> steps, IReadOnlyList<ResourceState?> states)
    {
        var checks = new List<VerifyCheck>();
        var diff = new List<DiffEntry>();
        var baseline = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Count; i++)
        {
            PlanStep step = steps[i];
            if (states[i] is not { } state)
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

        return new Comparison(checks, diff, CanonicalJson.Hash(baseline));
    }

    /// <summary>What a comparison found.</summary>
    public sealed record Comparison(List<VerifyCheck> Checks, List<DiffEntry> Diff, string StateHash);
}
