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

    [Fact]
    public void The_same_person_in_other_case_is_the_initiator_and_counts_once()
    {
        Assert.Equal(ApprovalRefusalKind.SeparationOfDuties, Kind(Decision(approver: "Alice")));
        Assert.Equal(ApprovalRefusalKind.SeparationOfDuties, Kind(Decision(approver: "ALICE", decision: "reject")));
        Assert.Equal(ApprovalRefusalKind.Duplicate, Kind(Decision(approver: "BOB"), "bob"));

        // Whatever comparer the caller's set was built with.
        var ordinal = new HashSet<string>(StringComparer.Ordinal) { "bob" };
        Assert.Equal(ApprovalRefusalKind.Duplicate, ApprovalRules.Check(Decision(approver: "Bob"), "alice", "sha256:p", ["owners"], ordinal)?.Kind);
    }

    [Fact]
    public void Approved_by_and_the_requirement_count_people_not_spellings()
    {
        ApprovalDecision[] decisions = [Decision(approver: "bob") with { Channel = "api" }, Decision(approver: "Bob") with { Channel = "github" }, Decision(approver: "carol", decision: "reject")];
        Assert.Single(ApprovalRules.ApprovedBy(decisions));
        Assert.Contains("BOB", ApprovalRules.ApprovedBy(decisions));
        Assert.False(new ApprovalRequirement(2, false, "two people", Groups: ["owners"]).IsMetBy(decisions));
        Assert.True(new ApprovalRequirement(2, false, "two people", Groups: ["owners"]).IsMetBy([.. decisions, Decision(approver: "dana")]));
    }
}
