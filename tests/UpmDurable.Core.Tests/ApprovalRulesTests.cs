using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class ApprovalRulesTests
{
    static ApprovalDecision Decision(string approver = "bob", string decision = "approve", string planHash = "sha256:p", params string[] groups) =>
        new() { Approver = approver, Decision = decision, PlanHash = planHash, Channel = "api", Groups = groups.Length == 0 ? ["owners"] : [.. groups] };

    static ApprovalRefusalKind? Kind(ApprovalDecision decision, params string[] approvedBy) =>
        ApprovalRules.Check(decision, "alice", "sha256:p", ["owners"], approvedBy.ToHashSet())?.Kind;

    [Fact]
    public void Each_rule_refuses_what_it_should_and_a_good_decision_counts()
    {
        Assert.Null(Kind(Decision()));
        Assert.Null(Kind(Decision(decision: "reject"), "bob"));
        Assert.Equal(ApprovalRefusalKind.StalePlanHash, Kind(Decision(planHash: "sha256:old")));
        Assert.Equal(ApprovalRefusalKind.SeparationOfDuties, Kind(Decision(approver: "alice")));
        Assert.Equal(ApprovalRefusalKind.NotInRequiredGroup, Kind(Decision(groups: "security")));
        Assert.Equal(ApprovalRefusalKind.Duplicate, Kind(Decision(), "bob"));
        Assert.Equal(ApprovalRefusalKind.UnknownDecision, Kind(Decision(decision: "maybe")));
    }
}
