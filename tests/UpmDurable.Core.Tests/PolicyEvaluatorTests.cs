using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class PolicyEvaluatorTests
{
    static readonly PolicyPack Default = PolicyPack.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "default.yaml")), "default.yaml");

    static PolicyReport Evaluate((ChangeSpec Spec, Plan Plan, PlanAnnotation Annotation) c) => PolicyEvaluator.Evaluate([Default], c.Spec, c.Plan, c.Annotation);

    static string[] Ids(PolicyReport report, string severity) => report.Violations.Where(v => v.Severity == severity).Select(v => v.RuleId).ToArray();

    [Fact]
    public void Sample_pack_loads_every_rule()
    {
        Assert.Equal("default", Default.Name);
        Assert.Equal(7, Default.Rules.Count);
        Assert.Equal(["every-change-needs-a-human", "prod-or-high-risk-needs-two"], Default.Approvals.Select(a => a.Id));
        Assert.Equal("low-risk-lane", Default.AutoApproval!.Id);
    }

    [Fact]
    public void A_small_non_prod_change_passes_clean()
    {
        PolicyReport report = Evaluate(TestChanges.Compile(TestChanges.Namespaces(2)));

        Assert.True(report.Passed);
        Assert.Empty(report.Violations);
    }

    [Fact]
    public void Location_outside_the_allow_list_is_denied_per_resource()
    {
        PolicyReport report = Evaluate(TestChanges.Compile(TestChanges.Sample.Replace("\"prod-east\"", "\"dev\"").Replace("eastus\"}", "westus\"}")));

        Assert.False(report.Passed);
        PolicyViolation v = Assert.Single(report.Violations, v => v.RuleId == "allowed-locations");
        Assert.Equal("az_resource_group/rg-demo", v.Resource);
        Assert.Equal("deny", v.Severity);
    }

    [Fact]
    public void Node_count_above_the_maximum_is_denied()
    {
        var c = TestChanges.Compile(TestChanges.Sample.Replace("\"prod-east\"", "\"dev\"").Replace("\"node_count\": 2", "\"node_count\": 12"));

        PolicyViolation v = Assert.Single(Evaluate(c).Violations, v => v.RuleId == "max-node-count");
        Assert.Equal("az_aks/aks-demo", v.Resource);
    }

    [Fact]
    public void Prod_endpoint_needs_a_ticket()
    {
        Assert.Contains("prod-needs-ticket", Ids(Evaluate(TestChanges.Compile(TestChanges.Sample)), "deny"));

        string withTicket = TestChanges.Sample.Replace("\"tenant\": \"acme\",", "\"tenant\": \"acme\", \"ticket\": {\"system\": \"servicenow\", \"id\": \"CHG1\"},");
        Assert.DoesNotContain("prod-needs-ticket", Ids(Evaluate(TestChanges.Compile(withTicket)), "deny"));
    }

    [Fact]
    public void Public_ip_property_is_denied_in_prod_only()
    {
        ChangeSpec spec = TestChanges.Spec(TestChanges.Namespaces(1));
        var withIp = spec with
        {
            ClusterEndpointId = "prod-west",
            Resources = [spec.Resources[0] with { Properties = new() { ["public_ip"] = System.Text.Json.JsonSerializer.SerializeToElement(true) } }],
        };

        Assert.Contains("no-public-ip-in-prod", Ids(Evaluate(TestChanges.Compile(withIp)), "deny"));
        Assert.DoesNotContain("no-public-ip-in-prod", Ids(Evaluate(TestChanges.Compile(withIp with { ClusterEndpointId = "dev" })), "deny"));
    }

    [Fact]
    public void Blast_radius_budget_denies_more_than_fifty_resources()
    {
        Assert.DoesNotContain("blast-radius-budget", Ids(Evaluate(TestChanges.Compile(TestChanges.Namespaces(50))), "deny"));
        Assert.Contains("blast-radius-budget", Ids(Evaluate(TestChanges.Compile(TestChanges.Namespaces(51))), "deny"));
    }

    [Fact]
    public void More_than_two_destructive_steps_are_denied()
    {
        var c = TestChanges.Compile(TestChanges.Namespaces(3));
        Plan destructive = c.Plan with { Steps = c.Plan.Steps.Select(s => s with { Command = s.Rollback }).ToList() };

        Assert.Equal(3, PlanAnnotator.DestructiveSteps(destructive));
        Assert.Contains("max-destructive-steps", Ids(PolicyEvaluator.Evaluate([Default], c.Spec, destructive, c.Annotation), "deny"));
    }

    [Fact]
    public void Warnings_are_listed_but_do_not_fail_the_change()
    {
        var c = TestChanges.Compile("""
            {"request": "clusters", "tenant": "acme", "target": {"resources": [
              {"type": "az_resource_group", "name": "rg", "location": "eastus"},
              {"type": "az_aks", "name": "a1", "resource_group": "rg"}, {"type": "az_aks", "name": "a2", "resource_group": "rg"},
              {"type": "az_aks", "name": "a3", "resource_group": "rg"}, {"type": "az_aks", "name": "a4", "resource_group": "rg"}]}}
            """);
        PolicyReport report = Evaluate(c);

        Assert.True(report.Passed);
        Assert.Equal(["monthly-cost-budget"], Ids(report, "warn"));
        Assert.Equal(1, report.Warnings);
    }

    [Fact]
    public void Cost_budget_warns_above_five_hundred_dollars()
    {
        var c = TestChanges.Compile("""
            {"request": "clusters", "tenant": "acme", "target": {"resources": [
              {"type": "az_resource_group", "name": "rg", "location": "eastus"},
              {"type": "az_aks", "name": "a1", "resource_group": "rg"}, {"type": "az_aks", "name": "a2", "resource_group": "rg"},
              {"type": "az_aks", "name": "a3", "resource_group": "rg"}, {"type": "az_aks", "name": "a4", "resource_group": "rg"}]}}
            """);

        Assert.Equal(584m, c.Annotation.MonthlyCostUsd);
        Assert.Contains("monthly-cost-budget", Ids(Evaluate(c), "warn"));
    }

    [Fact]
    public void A_condition_that_does_not_compile_names_the_rule()
    {
        var ex = Assert.Throws<PolicyPackException>(() => PolicyPack.Load("""
            rules:
              - id: fine
                severity: warn
                message: ok
                condition: "false"
              - id: broken-rule
                severity: deny
                message: never
                condition: "plan.step_count >"
            """));

        Assert.Equal("broken-rule", ex.RuleId);
        Assert.Contains("'broken-rule'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules:\n  - id: r1\n    severity: block\n    message: m\n    condition: 'true'", "r1", "severity")]
    [InlineData("rules:\n  - id: r2\n    severity: deny\n    condition: 'true'", "r2", "message")]
    [InlineData("rules:\n  - id: r3\n    severity: deny\n    message: m\n    scope: galaxy\n    condition: 'true'", "r3", "scope")]
    [InlineData("rules:\n  - id: r4\n    severity: deny\n    message: m\n    condition: 'true'\n  - id: r4\n    severity: deny\n    message: m\n    condition: 'true'", "r4", "duplicate")]
    public void Malformed_rules_are_named(string yaml, string id, string word)
    {
        var ex = Assert.Throws<PolicyPackException>(() => PolicyPack.Load(yaml));

        Assert.Equal(id, ex.RuleId);
        Assert.Contains(word, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_pack_and_empty_pack_are_refused()
    {
        Assert.Throws<PolicyPackException>(() => PolicyPack.Load("rules: [unclosed"));
        Assert.Throws<PolicyPackException>(() => PolicyPack.Load("name: empty"));
    }

    [Fact]
    public void Json_packs_load_too_and_a_non_boolean_condition_fails_with_the_rule_id()
    {
        PolicyPack pack = PolicyPack.Load("""{"name": "j", "rules": [{"id": "count", "severity": "deny", "message": "m", "condition": "plan.step_count"}]}""");
        var c = TestChanges.Compile(TestChanges.Namespaces(1));

        var ex = Assert.Throws<PolicyPackException>(() => PolicyEvaluator.Evaluate([pack], c.Spec, c.Plan, c.Annotation));
        Assert.Equal("count", ex.RuleId);
    }
}
