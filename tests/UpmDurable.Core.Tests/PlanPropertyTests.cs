using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class PlanPropertyTests
{
    // A random acyclic resource graph: one resource group, then namespaces, storage accounts and clusters, each depending
    // (explicitly) on a random subset of earlier resources. Plus a seed for shuffling.
    static readonly Gen<(JsonObject Request, int Seed)> Graphs =
        from n in Gen.Int[1, 30]
        from kinds in Gen.Int[0, 2].Array[n]
        from picks in Gen.Int[0, 1 << 20].Array[n]
        from seed in Gen.Int
        select (Build(kinds, picks), seed);

    static JsonObject Build(int[] kinds, int[] picks)
    {
        var names = new List<string> { "rg0" };
        var resources = new JsonArray(new JsonObject { ["type"] = "az_resource_group", ["name"] = "rg0", ["location"] = "eastus" });
        for (int i = 1; i < kinds.Length; i++)
        {
            string name = kinds[i] switch { 0 => $"ns{i}", 1 => $"st{i}", _ => $"aks{i}" };
            var resource = new JsonObject { ["type"] = kinds[i] switch { 0 => "k8s_namespace", 1 => "az_storage_account", _ => "az_aks" }, ["name"] = name };
            if (kinds[i] != 0)
            {
                resource["resource_group"] = "rg0";
            }

            // Bits of the pick choose earlier resources to depend on.
            var deps = names.Where((_, k) => ((picks[i] >> (k % 20)) & 1) == 1 && k % 3 == i % 3).Select(d => (JsonNode)JsonValue.Create(d)!).ToArray();
            if (deps.Length > 0)
            {
                resource["depends_on"] = new JsonArray(deps);
            }

            names.Add(name);
            resources.Add(resource);
        }

        return new JsonObject { ["request"] = "generated", ["tenant"] = "acme", ["target"] = new JsonObject { ["resources"] = resources } };
    }

    static Plan Compile(JsonNode request) =>
        PlanCompiler.Compile(ChangeRequestValidator.Validate(request.Deserialize<ChangeRequest>(UpmJson.StrictRequest)));

    // Same content, resources shuffled and every object's keys in another order.
    static JsonNode Shuffle(JsonNode node, Random random) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(_ => random.Next()).Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Shuffle(p.Value, random)))),
        JsonArray a when a.Parent is JsonObject parent && parent.ContainsKey("resources") && ReferenceEquals(parent["resources"], a)
            => new JsonArray(a.OrderBy(_ => random.Next()).Select(x => x is null ? null : Shuffle(x, random)).ToArray()),
        JsonArray a => new JsonArray(a.Select(x => x is null ? null : Shuffle(x, random)).ToArray()),
        _ => node.DeepClone(),
    };

    [Fact]
    public void Shuffled_resources_and_keys_give_the_same_plan_hash()
    {
        Graphs.Sample(g =>
        {
            Plan a = Compile(g.Request);
            Plan b = Compile(Shuffle(g.Request, new Random(g.Seed)));
            return a.PlanHash == b.PlanHash && CanonicalJson.ToText(a) == CanonicalJson.ToText(b);
        }, iter: 200);
    }

    [Fact]
    public void Every_step_comes_after_its_dependencies()
    {
        Graphs.Sample(g =>
        {
            Plan plan = Compile(g.Request);
            var position = plan.Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
            var wave = plan.Steps.ToDictionary(s => s.Id, s => s.Wave);
            return plan.Steps.All(s => s.DependsOn.All(d => position[d] < position[s.Id] && wave[d] < s.Wave))
                && plan.Waves.SelectMany(w => w).SequenceEqual(plan.Steps.Select(s => s.Id));
        }, iter: 200);
    }

    [Fact]
    public void Rollback_plan_is_exactly_the_reverse()
    {
        Graphs.Sample(g =>
        {
            Plan plan = Compile(g.Request);
            return plan.RollbackPlan.Select(r => (r.StepId, r.Command))
                .SequenceEqual(Enumerable.Reverse(plan.Steps).Select(s => (s.Id, s.Rollback)));
        }, iter: 200);
    }

    [Fact]
    public void Canary_keeps_every_step_once_and_after_its_dependencies()
    {
        Graphs.Sample(g =>
        {
            Plan plan = Compile(g.Request);
            var waves = PlanVariants.Canary(plan).Waves;
            var waveOf = waves.SelectMany((w, i) => w.Select(id => (id, i))).ToDictionary(p => p.id, p => p.i);
            return waveOf.Count == plan.Steps.Count
                && plan.Steps.All(s => s.DependsOn.All(d => waveOf[d] < waveOf[s.Id]))
                && (plan.Waves.All(w => w.Count == 1) ? waves.Count == plan.Waves.Count : waves.Count == plan.Waves.Count + 1);
        }, iter: 200);
    }
}
