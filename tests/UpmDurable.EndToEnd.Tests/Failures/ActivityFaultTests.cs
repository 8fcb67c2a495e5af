using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Failures;

/// <summary>
/// Every activity kind that fails past its retries ends the change final: the expected status with the failure as the reason,
/// its evidence chain verifying, and its locks free (a follow-up change on the same resources completes).
/// </summary>
[Collection("failures")]
public sealed class ActivityFaultTests(FailureFixture fixture)
{
    [Theory]
    [InlineData("checkpoint")]
    [InlineData("lock")]
    [InlineData("unlock")]
    [InlineData("probe")]
    [InlineData("window")]
    [InlineData("verify_read")]
    [InlineData("read_back")]
    public async Task An_activity_failing_past_its_retries_ends_the_change_final_with_locks_free_and_evidence_verifying(string kind)
    {
        FaultOutcome outcome = await fixture.OutcomeAsync(kind);
        string expected = FailureFixture.Kinds[kind].Expected;

        Assert.True(expected == outcome.Final["status"]!.GetValue<string>(), $"{kind}: {outcome.Final.ToJsonString()}");
        Assert.True(outcome.Verify?["ok"]?.GetValue<bool>() == true, $"{kind}: evidence {outcome.Verify?.ToJsonString()}");
        Assert.Equal(outcome.Final["evidence"]!["records"]!.GetValue<int>(), outcome.Verify!["records"]!.GetValue<int>());
        Assert.True("completed" == outcome.FollowUp["status"]!.GetValue<string>(), $"{kind}: follow-up {outcome.FollowUp.ToJsonString()}");

        string trace = outcome.Final["audit_trace"]!.ToJsonString();
        if (expected != "completed")
        {
            // The reason names what failed.
            Assert.Contains("injected fault", outcome.Final["reason"]!.GetValue<string>() + trace, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("finishing as completed failed", trace, StringComparison.Ordinal);
        }

        if (expected is "rolled_back" or "rollback_failed")
        {
            Assert.True(outcome.Final["rollback"]!["executed"]!.GetValue<bool>());
        }
    }
}
