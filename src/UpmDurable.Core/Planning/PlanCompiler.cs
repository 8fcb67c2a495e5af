using UpmDurable.Core.Catalog;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;

namespace UpmDurable.Core.Planning;

/// <summary>Compiles a validated change into a deterministic <see cref="Plan"/>: same input, byte-identical plan.</summary>
public static class PlanCompiler
{
    /// <summary>Compiles; throws <see cref="ChangeValidationException"/> for a dependency cycle or a reference to nothing.</summary>
    public static Plan Compile(ChangeSpec change)
    {
        var errors = new ValidationErrors();
        var byName = change.Resources.ToDictionary(r => r.Name!, StringComparer.Ordinal);
        var index = change.Resources.Select((r, i) => (r.Name!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var deps = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);

        foreach (ResourceSpec resource in change.Resources)
        {
            ResourceKind kind = ResourceCatalog.Find(resource.Type)!;
            var mine = new SortedSet<string>(StringComparer.Ordinal);
            string at = $"target.resources[{index[resource.Name!]}]";
            foreach (ResourceReference reference in kind.References)
            {
                string? target = reference.Field switch
                {
                    "resource_group" => resource.ResourceGroup,
                    "cluster" => resource.Cluster,
                    "namespace" => resource.Namespace,
                    _ => ResourceCatalog.Prop(resource, reference.Field["properties.".Length..]),
                };
                if (target is null)
                {
                    continue;
                }

                if (byName.TryGetValue(target, out ResourceSpec? other) && other.Type == reference.TargetType)
                {
                    mine.Add(StepId(other));
                }
                else if (!change.ResourcesNeeded.Any(n => n.Type == reference.TargetType && n.Name == target))
                {
                    errors.Add($"{at}.{reference.Field}", $"'{target}' is neither a {reference.TargetType} of this change nor declared in resources_needed.");
                }
            }

            foreach (string name in resource.DependsOn ?? [])
            {
                if (byName.TryGetValue(name, out ResourceSpec? other) && other != resource)
                {
                    mine.Add(StepId(other));
                }
                else
                {
                    errors.Add($"{at}.depends_on", $"'{name}' is not another resource of this change.");
                }
            }

            deps[StepId(resource)] = mine;
        }

        if (!errors.IsEmpty)
        {
            throw new ChangeValidationException(errors);
        }

        Dictionary<string, int> waves = AssignWaves(deps, errors);
        if (!errors.IsEmpty)
        {
            throw new ChangeValidationException(errors);
        }

        var steps = change.Resources
            .Select(r => BuildStep(change.Tenant, r, waves[StepId(r)], deps[StepId(r)]))
            .OrderBy(s => s.Wave)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

        var plan = new Plan
        {
            Steps = steps,
            Waves = steps.GroupBy(s => s.Wave).OrderBy(g => g.Key).Select(g => g.Select(s => s.Id).ToList()).ToList(),
            Commands = steps.Select(s => s.Command).ToList(),
            RollbackPlan = Enumerable.Reverse(steps).Select(s => new RollbackStep(s.Id, s.Rollback)).ToList(),
            ResourcesNeeded = change.ResourcesNeeded
                .OrderBy(n => n.Type, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Location, StringComparer.Ordinal)
                .ToList(),
            Approvals = change.ApprovalsRequired == 0 ? [] : change.ApprovalGroups.Order(StringComparer.Ordinal).ToList(),
        };
        return plan with { PlanHash = CanonicalJson.Hash(plan with { PlanHash = string.Empty }) };
    }

    /// <summary>The step id of a resource: <c>{type}/{name}</c>.</summary>
    public static string StepId(ResourceSpec resource) => $"{resource.Type}/{resource.Name}";

    static PlanStep BuildStep(string tenant, ResourceSpec resource, int wave, SortedSet<string> deps)
    {
        ResourceKind kind = ResourceCatalog.Find(resource.Type)!;
        var properties = resource.Properties is null
            ? null
            : new SortedDictionary<string, System.Text.Json.JsonElement>(resource.Properties, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        ResourceSpec intended = resource with { Properties = properties };

        // ensure: absent inverts the step: it runs the kind's delete, and its rollback re-creates the resource.
        bool absent = Ensures.IsAbsent(intended);
        return new PlanStep
        {
            Id = StepId(resource),
            Type = kind.Type,
            Name = resource.Name!,
            Wave = wave,
            DependsOn = [.. deps],
            Command = absent ? kind.Delete(intended) : kind.Create(intended),
            ReadBack = kind.ReadBack(intended),
            HealthCheck = kind.HealthCheck,
            Rollback = absent ? kind.Create(intended) : kind.Delete(intended),
            IdempotencyKey = CanonicalJson.Hash(new { tenant, resource = intended })["sha256:".Length..][..32],
            Resource = intended,
        };
    }

    // Kahn's algorithm over a reverse adjacency list (linear time); a step's wave is one past its deepest dependency,
    // which does not depend on the order ready steps are taken in.
    static Dictionary<string, int> AssignWaves(SortedDictionary<string, SortedSet<string>> deps, ValidationErrors errors)
    {
        var wave = new Dictionary<string, int>(deps.Count, StringComparer.Ordinal);
        var remaining = new Dictionary<string, int>(deps.Count, StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(deps.Count, StringComparer.Ordinal);
        var ready = new Queue<string>();
        foreach (var (id, needs) in deps)
        {
            remaining[id] = needs.Count;
            if (needs.Count == 0)
            {
                ready.Enqueue(id);
            }

            foreach (string need in needs)
            {
                if (!dependents.TryGetValue(need, out List<string>? list))
                {
                    dependents[need] = list = [];
                }

                list.Add(id);
            }
        }

        while (ready.Count > 0)
        {
            string id = ready.Dequeue();
            int deepest = 0;
            foreach (string need in deps[id])
            {
                deepest = Math.Max(deepest, wave[need]);
            }

            wave[id] = deepest + 1;
            foreach (string other in dependents.GetValueOrDefault(id) ?? [])
            {
                if (--remaining[other] == 0)
                {
                    ready.Enqueue(other);
                }
            }
        }

        if (wave.Count < deps.Count)
        {
            var cycle = deps.Keys.Where(k => !wave.ContainsKey(k)).ToList();
            errors.Add("target.resources", $"Dependency cycle between: {string.Join(", ", cycle)}.");
        }

        return wave;
    }
}
