using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class PlanCompilerTests
{
    const string Sample = """
        {
          "request": "Create AKS cluster aks-demo in eastus and namespace team-alpha",
          "tenant": "acme",
          "target": {
            "resources": [
              {"type": "az_resource_group", "name": "rg-demo", "location": "eastus"},
              {"type": "az_aks", "name": "aks-demo", "resource_group": "rg-demo", "properties": {"node_count": 2}},
              {"type": "k8s_namespace", "name": "team-alpha", "cluster": "aks-demo"}
            ]
          }
        }
        """;

    // The same request with resources and keys in another order and the number spelt differently.
    const string Shuffled = """
        {
          "target": {
            "resources": [
              {"cluster": "aks-demo", "name": "team-alpha", "type": "k8s_namespace"},
              {"properties": {"node_count": 2.0}, "resource_group": "rg-demo", "name": "aks-demo", "type": "az_aks"},
              {"location": "eastus", "name": "rg-demo", "type": "az_resource_group"}
            ]
          },
          "tenant": "acme",
          "request": "Create AKS cluster aks-demo in eastus and namespace team-alpha"
        }
        """;

    static Plan Compile(string json) =>
        PlanCompiler.Compile(ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest)));

    [Fact]
    public void Plan_is_byte_identical_whatever_the_order_of_resources_and_keys()
    {
        Plan a = Compile(Sample);
        Plan b = Compile(Shuffled);

        Assert.Equal(CanonicalJson.ToText(a), CanonicalJson.ToText(b));
        Assert.Equal(a.PlanHash, b.PlanHash);
        Assert.Matches("^sha256:[0-9a-f]{64}$", a.PlanHash);
    }

    [Fact]
    public void Steps_are_ordered_in_waves_by_inferred_dependencies()
    {
        Plan plan = Compile(Sample);

        Assert.Equal([["az_resource_group/rg-demo"], ["az_aks/aks-demo"], ["k8s_namespace/team-alpha"]], plan.Waves);
        Assert.Equal(
            ["az group create --name rg-demo --location eastus", "az aks create --name aks-demo --resource-group rg-demo --node-count 2", "kubectl-1.29 create namespace team-alpha"],
            plan.Commands);
        Assert.Equal(["az_resource_group/rg-demo"], plan.Steps[1].DependsOn);
        Assert.Equal(["k8s_namespace/team-alpha", "az_aks/aks-demo", "az_resource_group/rg-demo"], plan.RollbackPlan.Select(r => r.StepId));
        Assert.Equal("kubectl-1.29 delete namespace team-alpha", plan.RollbackPlan[0].Command);
    }

    [Fact]
    public void Independent_steps_share_a_wave_and_idempotency_keys_differ()
    {
        Plan plan = Compile("""
            {"request": "two namespaces", "tenant": "acme", "target": {"resources": [
              {"type": "k8s_namespace", "name": "b"}, {"type": "k8s_namespace", "name": "a"}]}}
            """);

        Assert.Equal([["k8s_namespace/a", "k8s_namespace/b"]], plan.Waves);
        Assert.NotEqual(plan.Steps[0].IdempotencyKey, plan.Steps[1].IdempotencyKey);
    }

    [Fact]
    public void A_different_property_changes_the_plan_hash()
    {
        Assert.NotEqual(Compile(Sample).PlanHash, Compile(Sample.Replace("\"node_count\": 2", "\"node_count\": 3", StringComparison.Ordinal)).PlanHash);
    }

    [Fact]
    public void Dependency_cycle_is_refused_naming_the_resources()
    {
        var ex = Assert.Throws<ChangeValidationException>(() => Compile("""
            {"request": "cycle", "tenant": "acme", "target": {"resources": [
              {"type": "k8s_namespace", "name": "a", "depends_on": ["b"]},
              {"type": "k8s_namespace", "name": "b", "depends_on": ["a"]},
              {"type": "k8s_namespace", "name": "c"}]}}
            """));

        string message = Assert.Single(ex.Errors.ToDictionary()["target.resources"]);
        Assert.Contains("k8s_namespace/a", message, StringComparison.Ordinal);
        Assert.Contains("k8s_namespace/b", message, StringComparison.Ordinal);
        Assert.DoesNotContain("k8s_namespace/c", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_to_a_resource_neither_in_the_change_nor_needed_is_refused()
    {
        var ex = Assert.Throws<ChangeValidationException>(() => Compile("""
            {"request": "aks", "tenant": "acme", "target": {"resources": [
              {"type": "az_aks", "name": "k", "resource_group": "rg-x"}]}}
            """));

        Assert.Contains("rg-x", Assert.Single(ex.Errors.ToDictionary()["target.resources[0].resource_group"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_declared_in_resources_needed_is_accepted()
    {
        Plan plan = Compile("""
            {"request": "aks", "tenant": "acme", "target": {"resources": [
              {"type": "az_aks", "name": "k", "resource_group": "rg-x"}]},
             "resources_needed": [{"type": "az_resource_group", "name": "rg-x"}]}
            """);

        Assert.Single(plan.Steps);
        Assert.Empty(plan.Steps[0].DependsOn);
    }
}
