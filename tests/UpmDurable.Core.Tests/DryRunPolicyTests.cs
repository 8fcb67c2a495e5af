using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Policy over what pre-flight's dry run found: adoption and irreversible steps.</summary>
public sealed class DryRunPolicyTests
{
    const string Two = """
        {"request": "x", "tenant": "acme", "target": {"resources": [
          {"type": "k8s_namespace", "name": "mine", "adopt": true},
          {"type": "k8s_namespace", "name": "gone", "ensure": "absent"}]}}
        """;

    static readonly PolicyPack NoAdoption = PolicyPack.Load("""
        name: no-adoption
        rules:
          - {id: no-adoption, severity: deny, scope: resource, message: "Take-overs need the platform team.", condition: "resource.adopting"}
        """);

    static readonly PolicyPack IrreversibleNeedsTwo = PolicyPack.Load("""
        name: irreversible
        approvals:
          - {id: irreversible-needs-two, when: "plan.irreversible_steps > 0", min_approvers: 2, groups: [platform-owners]}
        """);

    static DryRunFacts Facts(string[] adoptions, Dictionary<string, string> irreversible) =>
        new(new Dictionary<string, string> { ["k8s_namespace/mine"] = PlanActions.Update, ["k8s_namespace/gone"] = PlanActions.Delete }, adoptions, irreversible);

    [Fact]
    public void The_request_flags_and_dry_run_facts_are_variables()
    {
        var (spec, plan, annotation) = TestChanges.Compile(Two);
        var context = PolicyContext.Build(spec, plan, annotation, Facts(["k8s_namespace/mine"], new() { ["k8s_namespace/gone"] = "cannot re-create" }));

        var planVars = (Dictionary<string, object?>)context["plan"]!;
        Assert.Equal((1L, 1L, 1L, 1L), ((long)planVars["delete_steps"]!, (long)planVars["adopt_steps"]!, (long)planVars["adoptions"]!, (long)planVars["irreversible_steps"]!));
        var byId = ((List<object?>)context["resources"]!).Cast<Dictionary<string, object?>>().ToDictionary(r => (string)r["id"]!);
        Assert.Equal((true, "present", PlanActions.Update, true, false), ((bool)byId["k8s_namespace/mine"]["adopt"]!, byId["k8s_namespace/mine"]["ensure"], byId["k8s_namespace/mine"]["action"], (bool)byId["k8s_namespace/mine"]["adopting"]!, (bool)byId["k8s_namespace/mine"]["irreversible"]!));
        Assert.Equal((false, "absent", PlanActions.Delete, true), ((bool)byId["k8s_namespace/gone"]["adopt"]!, byId["k8s_namespace/gone"]["ensure"], byId["k8s_namespace/gone"]["action"], (bool)byId["k8s_namespace/gone"]["irreversible"]!));

        // Before pre-flight (submission) the dry-run variables read as nothing happened yet.
        var before = (Dictionary<string, object?>)PolicyContext.Build(spec, plan, annotation)["plan"]!;
        Assert.Equal((0L, 0L), ((long)before["adoptions"]!, (long)before["irreversible_steps"]!));
    }

    [Fact]
    public void A_pack_rule_can_forbid_adoption()
    {
        var (spec, plan, annotation) = TestChanges.Compile(Two);

        PolicyReport adopting = PolicyEvaluator.Evaluate([NoAdoption], spec, plan, annotation, Facts(["k8s_namespace/mine"], []));
        PolicyReport notAdopting = PolicyEvaluator.Evaluate([NoAdoption], spec, plan, annotation, Facts([], []));

        Assert.False(adopting.Passed);
        PolicyViolation v = Assert.Single(adopting.Violations);
        Assert.Equal(("no-adoption", "k8s_namespace/mine", PolicySeverity.Deny), (v.RuleId, v.Resource, v.Severity));
        Assert.True(notAdopting.Passed);
    }

    [Fact]
    public void An_irreversible_step_can_require_an_extra_approval()
    {
        var (spec, plan, annotation) = TestChanges.Compile(Two);

        ApprovalRequirement reversible = ApprovalPolicyDecision.Decide([IrreversibleNeedsTwo], spec, plan, annotation, true, Facts([], []));
        ApprovalRequirement irreversible = ApprovalPolicyDecision.Decide([IrreversibleNeedsTwo], spec, plan, annotation, true, Facts([], new() { ["k8s_namespace/gone"] = "no before-image" }));

        Assert.Equal(ApprovalPolicyDecision.FloorRule, reversible.Rule);
        Assert.Equal(1, reversible.Required);
        Assert.Equal(("irreversible-needs-two", 2), (irreversible.Rule, irreversible.Required));
    }
}
