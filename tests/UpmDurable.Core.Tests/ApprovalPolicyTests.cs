using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>The server decides approvals: policy rules, the built-in floor, the lane, and a request that can only ask for more.</summary>
public sealed class ApprovalPolicyTests
{
    static readonly PolicyPack Default = PolicyPack.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "default.yaml")), "default.yaml");

    const string Aks = """
        {"request": "aks", "tenant": "acme", %APPROVALS% "target": {%ENDPOINT% "resources": [
          {"type": "az_resource_group", "name": "rg-a", "location": "eastus"},
          {"type": "az_aks", "name": "aks-a", "resource_group": "rg-a"}]}}
        """;

    static (ChangeSpec Spec, Plan Plan, PlanAnnotation Annotation) Aks_(string approvals = "", string endpoint = "") =>
        TestChanges.Compile(Aks.Replace("%APPROVALS%", approvals, StringComparison.Ordinal).Replace("%ENDPOINT%", endpoint, StringComparison.Ordinal));

    static ApprovalRequirement Decide((ChangeSpec Spec, Plan Plan, PlanAnnotation Annotation) c, bool windowOpen = true, params PolicyPack[] packs) =>
        ApprovalPolicyDecision.Decide(packs.Length == 0 ? [Default] : packs, c.Spec, c.Plan, c.Annotation, windowOpen);

    static ApprovalDecision Approve(string who, params string[] groups) =>
        new() { Approver = who, Decision = "approve", PlanHash = "h", Channel = "api", Groups = [.. groups] };

    [Fact]
    public void An_aks_change_needs_one_human_from_the_policy_group_and_names_the_rule()
    {
        ApprovalRequirement r = Decide(Aks_());

        Assert.False(r.AutoApproved);
        Assert.Equal(1, r.Required);
        Assert.Equal(1, r.PolicyMinimum);
        Assert.Equal("every-change-needs-a-human", r.Rule);
        Assert.Equal(["platform-owners"], r.Groups);
    }

    [Fact]
    public void A_request_asking_for_zero_approvals_keeps_the_policy_minimum_and_says_so()
    {
        var c = Aks_("""  "approvals": {"required": 0},  """);
        ApprovalRequirement r = Decide(c);

        Assert.False(r.AutoApproved);
        Assert.Equal(1, r.Required);
        Assert.Equal("every-change-needs-a-human", r.Rule);
        Assert.Contains("the request asked for 0, raised to the policy's minimum", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Prod_endpoints_and_high_risk_need_two()
    {
        ApprovalRequirement prod = Decide(Aks_(endpoint: """ "cluster_endpoint_id": "prod-east", """));
        Assert.Equal(2, prod.Required);
        Assert.Equal("prod-or-high-risk-needs-two", prod.Rule);

        var one = Aks_("""  "approvals": {"required": 1},  """, """ "cluster_endpoint_id": "prod-east", """);
        ApprovalRequirement raised = Decide(one);
        Assert.Equal(2, raised.Required);
        Assert.Equal(2, raised.PolicyMinimum);
        Assert.False(raised.IsMetBy([new ApprovalDecision { Approver = "bob", Decision = "approve", PlanHash = "p", Channel = "api", Groups = ["platform-owners"] }]));
    }

    [Fact]
    public void A_request_may_raise_the_count_and_add_groups_that_must_each_sign()
    {
        var c = Aks_("""  "approvals": {"required": 3, "groups": ["platform-owners", "security"]},  """);
        ApprovalRequirement r = Decide(c);

        Assert.Equal(3, r.Required);
        Assert.Equal(["security"], r.AddedGroups);
        Assert.Equal(["platform-owners", "security"], r.EligibleGroups);

        Assert.False(r.IsMetBy([Approve("bob", "platform-owners"), Approve("erin", "platform-owners"), Approve("zed", "platform-owners")]));
        Assert.True(r.IsMetBy([Approve("bob", "platform-owners"), Approve("erin", "platform-owners"), Approve("carol", "security")]));
    }

    [Fact]
    public void Groups_a_request_names_never_replace_the_policy_groups()
    {
        // Only "my-friends" named: they must sign, but the policy minimum still comes from platform-owners.
        var c = Aks_("""  "approvals": {"groups": ["my-friends"]},  """);
        ApprovalRequirement r = Decide(c);

        Assert.Equal(["my-friends"], r.AddedGroups);
        Assert.False(r.IsMetBy([Approve("pal", "my-friends")]));
        Assert.False(r.IsMetBy([Approve("pal", "my-friends"), Approve("pal2", "my-friends")]));
        Assert.True(r.IsMetBy([Approve("pal", "my-friends"), Approve("bob", "platform-owners")]));
    }

    [Fact]
    public void One_person_counts_once_and_refused_or_rejecting_decisions_never_count()
    {
        ApprovalRequirement r = Decide(Aks_(endpoint: """ "cluster_endpoint_id": "prod-east", """));

        Assert.False(r.IsMetBy([Approve("bob", "platform-owners"), Approve("bob", "platform-owners")]));
        Assert.False(r.IsMetBy([Approve("bob", "platform-owners"), Approve("erin", "platform-owners") with { RefusedBecause = "stale" }]));
        Assert.False(r.IsMetBy([Approve("bob", "platform-owners"), Approve("erin", "platform-owners") with { Decision = "reject" }]));
        Assert.True(r.IsMetBy([Approve("bob", "platform-owners"), Approve("erin", "platform-owners")]));
    }

    [Fact]
    public void A_small_low_risk_change_takes_the_lane_inside_its_window_only()
    {
        var c = TestChanges.Compile(TestChanges.Namespaces(2));
        ApprovalRequirement open = Decide(c);
        ApprovalRequirement closed = Decide(c, windowOpen: false);

        Assert.True(open.AutoApproved);
        Assert.Equal("low-risk-lane", open.Rule);
        Assert.True(open.IsMetBy([]));
        Assert.False(closed.AutoApproved);
        Assert.Equal(1, closed.Required);
    }

    [Fact]
    public void Asking_for_an_approval_opts_out_of_the_lane()
    {
        var c = TestChanges.Compile(TestChanges.Namespaces(2, """, "approvals": {"required": 1}"""));

        Assert.False(Decide(c).AutoApproved);
    }

    [Fact]
    public void Command_steps_never_take_the_lane_even_when_a_pack_tries_to_admit_them()
    {
        var c = TestChanges.Compile("""
            {"request": "check", "tenant": "acme", "target": {"provider": "cli", "resources": [
              {"type": "command", "name": "list", "command": "az storage container list --output json"}]}}
            """);
        PolicyPack wide = PolicyPack.Load("""
            auto_approval: {id: wide, max_risk: 100, max_steps: 50, kinds: [az_storage_container]}
            """);

        ApprovalRequirement r = Decide(c, true, Default, wide);
        Assert.False(r.AutoApproved);
        Assert.True(r.Required >= 1);

        var refused = Assert.Throws<PolicyPackException>(() => PolicyPack.Load("""
            auto_approval: {id: sneaky, max_risk: 100, max_steps: 50, kinds: [command]}
            """));
        Assert.Contains("never take the auto-approval lane", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_approval_rule_the_built_in_floor_asks_one_human()
    {
        PolicyPack rulesOnly = PolicyPack.Load("""
            rules:
              - {id: nothing, severity: warn, message: m, condition: "false"}
            """);

        ApprovalRequirement r = Decide(Aks_(), true, rulesOnly);
        Assert.Equal(ApprovalPolicyDecision.FloorRule, r.Rule);
        Assert.Equal(1, r.Required);
        Assert.Equal([ChangeDefaults.ApprovalGroup], r.Groups);
        Assert.False(r.IsMetBy([]));
    }

    [Fact]
    public void A_pack_for_other_tenants_does_not_apply()
    {
        PolicyPack globex = PolicyPack.Load("""
            tenants: [globex]
            approvals:
              - {id: globex-three, when: "true", min_approvers: 3, groups: [globex-owners]}
            """);

        Assert.Equal(1, Decide(Aks_(), true, Default, globex).Required);
        Assert.Equal(3, Decide(TestChanges.Compile(Aks.Replace("acme", "globex", StringComparison.Ordinal).Replace("%APPROVALS%", "", StringComparison.Ordinal).Replace("%ENDPOINT%", "", StringComparison.Ordinal)), true, Default, globex).Required);
    }

    [Theory]
    [InlineData("approvals: [{id: zero, min_approvers: 0, groups: [g]}]", "min_approvers")]
    [InlineData("approvals: [{id: nogroups, min_approvers: 1}]", "groups")]
    [InlineData("approvals: [{id: badwhen, min_approvers: 1, groups: [g], when: 'plan.step_count >'}]", "does not compile")]
    [InlineData("auto_approval: {id: unknown, max_risk: 10, max_steps: 2, kinds: [az_nothing]}", "unknown kind")]
    public void Approval_rules_that_would_waive_or_cannot_be_read_are_refused_at_load(string yaml, string expected)
    {
        var ex = Assert.Throws<PolicyPackException>(() => PolicyPack.Load(yaml));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
