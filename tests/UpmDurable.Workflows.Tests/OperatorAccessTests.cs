using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Api;
using Xunit;

namespace UpmDurable.Workflows.Tests;

public sealed class OperatorAccessTests
{
    static ChangeRecord Change(ApprovalState? approvals = null) => new()
    {
        ChangeId = "chg-0123",
        Tenant = "acme",
        Initiator = "bob",
        Status = ChangeStatuses.Running,
        Phase = Phases.Execute,
        SubmittedAt = DateTimeOffset.UnixEpoch,
        Intent = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(
            """{"request": "ns", "tenant": "acme", "target": {"resources": [{"type": "k8s_namespace", "name": "ns1"}]}, "approvals": {"groups": ["platform-owners"]}}""",
            UpmJson.StrictRequest)),
        Approvals = approvals ?? new ApprovalState(),
    };

    [Theory]
    [InlineData("approver", "platform-owners", true)]
    [InlineData("approver", "outsiders", false)]
    [InlineData("submitter", "platform-owners", false)]
    [InlineData("auditor", "platform-owners", false)]
    [InlineData("admin", "outsiders", true)]
    public void An_admin_or_an_approver_of_the_change_s_groups_may_operate_it(string role, string group, bool expected)
    {
        Assert.Equal(expected, OperatorAccess.MayOperate(new UpmPrincipal("olga", "acme", [role], [group]), Change()));
    }

    [Fact]
    public void The_initiator_is_held_to_the_same_rule()
    {
        Assert.True(OperatorAccess.MayOperate(new UpmPrincipal("bob", "acme", ["approver", "submitter"], ["platform-owners"]), Change()));
        Assert.False(OperatorAccess.MayOperate(new UpmPrincipal("bob", "acme", ["submitter"], ["platform-owners"]), Change()));
    }

    [Fact]
    public void The_groups_approvals_were_requested_from_decide_once_requested()
    {
        ChangeRecord requested = Change(new ApprovalState { Groups = ["security"] });

        Assert.Equal(["platform-owners"], OperatorAccess.ApproverGroups(Change()));
        Assert.Equal(["security"], OperatorAccess.ApproverGroups(requested));
        Assert.True(OperatorAccess.MayOperate(new UpmPrincipal("carol", "acme", ["approver"], ["security"]), requested));
        Assert.False(OperatorAccess.MayOperate(new UpmPrincipal("bob", "acme", ["approver"], ["platform-owners"]), requested));
    }
}
