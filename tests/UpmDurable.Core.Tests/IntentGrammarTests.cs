using System.Text.Json;
using UpmDurable.Core.Intent;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class IntentGrammarTests
{
    static ChangeSpec Validate(string json) => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest));

    [Fact]
    public void Spec_sentence_compiles_to_group_cluster_and_namespace()
    {
        List<ResourceSpec> resources = IntentGrammar.Parse("Create AKS cluster aks-demo in eastus and namespace team-alpha");

        Assert.Equal(["az_resource_group/rg-aks-demo", "az_aks/aks-demo", "k8s_namespace/team-alpha"], resources.Select(PlanCompiler.StepId));
        Assert.Equal("eastus", resources[0].Location);
        Assert.Equal("rg-aks-demo", resources[1].ResourceGroup);
        Assert.Equal("eastus", resources[1].Location);
        Assert.Equal("aks-demo", resources[2].Cluster);
    }

    [Fact]
    public void Request_without_resources_becomes_a_plan_and_the_same_text_gives_the_same_plan()
    {
        const string Json = """{"request": "Create AKS cluster aks-demo in eastus and namespace team-alpha", "tenant": "acme"}""";
        ChangeSpec spec = Validate(Json);
        Plan a = PlanCompiler.Compile(spec);
        Plan b = PlanCompiler.Compile(Validate(Json));

        Assert.True(spec.ResourcesFromRequest);
        Assert.Equal(a.PlanHash, b.PlanHash);
        Assert.Equal(
            ["az group create --name rg-aks-demo --location eastus", "az aks create --name aks-demo --resource-group rg-aks-demo --location eastus --node-count 2", "kubectl-1.29 create namespace team-alpha"],
            a.Commands);
    }

    [Fact]
    public void Explicit_resources_win_over_the_text()
    {
        ChangeSpec spec = Validate("""{"request": "gibberish words", "tenant": "acme", "target": {"resources": [{"type": "k8s_namespace", "name": "a"}]}}""");

        Assert.False(spec.ResourcesFromRequest);
        Assert.Equal("a", Assert.Single(spec.Resources).Name);
    }

    [Fact]
    public void Modifiers_and_explicit_groups_are_understood()
    {
        List<ResourceSpec> r = IntentGrammar.Parse(
            "create resource group rg-x in westeurope, add a storage account stx1, an AKS cluster k1 with 3 nodes, namespace web in cluster k1 and deployment api with image nginx:1.27 with 2 replicas in namespace web.");

        Assert.Equal(["az_resource_group/rg-x", "az_storage_account/stx1", "az_aks/k1", "k8s_namespace/web", "k8s_deployment/api"], r.Select(PlanCompiler.StepId));
        Assert.All(r.Skip(1).Take(2), x => Assert.Equal("rg-x", x.ResourceGroup));
        Assert.Equal("westeurope", r[1].Location);
        Assert.Equal(3, r[2].Properties!["node_count"].GetInt32());
        Assert.Equal("nginx:1.27", r[4].Properties!["image"].GetString());
        Assert.Equal(2, r[4].Properties!["replicas"].GetInt32());
        Assert.Equal("web", r[4].Namespace);
        Assert.Equal("k1", r[4].Cluster);
    }

    [Fact]
    public void Unknown_words_are_named()
    {
        var ex = Assert.Throws<IntentParseException>(() => IntentGrammar.Parse("Create AKS cluster aks-demo in eastus quickly and a teleporter t1"));

        Assert.Equal(["quickly", "teleporter", "t1"], ex.Words);
        Assert.Contains("'quickly'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_text_without_resources_is_a_request_error()
    {
        var ex = Assert.Throws<ChangeValidationException>(() => Validate("""{"request": "make it so", "tenant": "acme"}"""));
        var errors = ex.Errors.ToDictionary();

        Assert.Contains("'make' 'it' 'so'", Assert.Single(errors["request"]), StringComparison.Ordinal);
        Assert.Contains("target", errors.Keys);
    }

    [Theory]
    [InlineData("Create AKS cluster aks-demo and namespace team-alpha", "in LOCATION")]
    [InlineData("create namespace a and namespace b and service s", "in namespace NAME")]
    [InlineData("create namespace a and deployment d", "with image IMAGE")]
    [InlineData("create vnet v in eastus and subnet s", "in vnet NAME")]
    public void Missing_parts_are_explained(string text, string hint)
    {
        var ex = Assert.Throws<IntentParseException>(() => IntentGrammar.Parse(text));

        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }
}
