using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Hostile;

/// <summary>
/// A hostile submitter tries to decide their own approvals (waive them, pick friendly groups) and a hostile approver floods
/// a change with refused attempts. Policy decides; the request can only ask for more; refused attempts stay bounded.
/// </summary>
[Collection("hostile")]
public sealed class HostileApprovalTests(HostileFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    [Fact]
    public async Task Asking_for_fewer_approvals_than_policy_is_raised_to_the_policy_minimum_and_one_approval_does_not_run_it()
    {
        JsonObject aks = ChangeClient.SampleChange(ChangeClient.Suffix(), approvalsRequired: 0);
        JsonObject prod = ChangeClient.SampleChange(ChangeClient.Suffix(), approvalsRequired: 1);
        prod["target"]!["cluster_endpoint_id"] = "prod-east";
        prod["ticket"] = new JsonObject { ["system"] = "servicenow", ["id"] = "CHG1" };

        foreach (var (change, rule, minimum, asked) in new[] { (aks, "every-change-needs-a-human", 1, 0), (prod, "prod-or-high-risk-needs-two", 2, 1) })
        {
            var (id, planHash) = await api.SubmitAsync(change, ChangeClient.Viewer);
            JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval", "completed", "failed", "rejected");
            Assert.Equal("awaiting_approval", waiting["status"]!.GetValue<string>());
            Assert.Equal(minimum, waiting["approvals"]!["required"]!.GetValue<int>());
            Assert.Equal(asked, waiting["approvals"]!["requested"]!.GetValue<int>());
            Assert.Equal(rule, waiting["approvals"]!["rule"]!.GetValue<string>());

            if (minimum == 2)
            {
                // One approval (what the request asked for) is not enough: the change keeps waiting for the second.
                Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
                JsonNode afterOne = await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["decisions"]!.AsArray().Count == 1);
                Assert.Equal("awaiting_approval", afterOne["status"]!.GetValue<string>());
            }

            Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2)).Status);
            await api.WaitForStatusAsync(id, Timeout, "rejected");
        }
    }

    [Fact]
    public async Task Groups_the_request_names_add_sign_offs_and_never_replace_the_policy_groups()
    {
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix(), approvalsRequired: null);
        change["approvals"]!["groups"] = new JsonArray("security");
        var (id, planHash) = await api.SubmitAsync(change, ChangeClient.Viewer);
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        Assert.Equal(["platform-owners", "security"], waiting["approvals"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["security"], waiting["approvals"]!["added_groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(1, waiting["approvals"]!["policy_minimum"]!.GetValue<int>());

        // bob is platform-owners only: the policy's minimum is met, but the group the request added has not signed.
        Assert.Equal(planHash, waiting["approvals"]!["plan_hash"]!.GetValue<string>());
        var (bob, bobAnswer) = await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver);
        Assert.True(bob == HttpStatusCode.Accepted, $"{bob} {bobAnswer}");
        JsonNode afterBob = await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["decisions"]!.AsArray().Count == 1);
        Assert.Equal("awaiting_approval", afterBob["status"]!.GetValue<string>());

        // carol is platform-owners and security: now both are covered.
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver2)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("approved", done["approvals"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_flood_of_refused_attempts_is_rate_limited_counted_once_and_writes_one_evidence_record()
    {
        // Visible to the whole tenant, so the flooder's attempts reach the approval rules (and are refused there).
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix());
        change["visibility"] = "org";
        var (id, planHash) = await api.SubmitAsync(change, ChangeClient.Viewer);
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        int recordsBefore = waiting["evidence"]!["records"]!.GetValue<int>();

        var answers = new List<HttpStatusCode>();
        for (int i = 0; i < 30; i++)
        {
            answers.Add((await api.DecideAsync(id, "approve", planHash, HostileFixture.FlooderKey)).Status);
        }

        // The default limit: 10 refused attempts a minute per principal; the rest never reach the change.
        Assert.Equal(10, answers.Count(a => a == HttpStatusCode.Forbidden));
        Assert.Equal(20, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.True(answers.Take(10).All(a => a == HttpStatusCode.Forbidden), string.Join(",", answers));
        var (limited, problem) = await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/approvals", HostileFixture.FlooderKey, $$"""{"decision":"approve","plan_hash":"{{planHash}}"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Contains("try again", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // A real decision lands the count with its own checkpoint.
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        JsonNode refused = Assert.Single(done["approvals"]!["refused"]!.AsArray())!;
        Assert.Equal("flooder", refused["approver"]!.GetValue<string>());
        Assert.Equal(10, refused["attempts"]!.GetValue<int>());
        Assert.Equal("NotInRequiredGroup", refused["refusal_kind"]!.GetValue<string>());

        // One evidence record for the refused attempts, not ten (approval_refused), among the change's own records.
        var (packStatus, _) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, packStatus);
        int refusedRecords = await CountEvidenceKindAsync(id, "approval_refused");
        Assert.Equal(1, refusedRecords);
        Assert.True(done["evidence"]!["records"]!.GetValue<int>() - recordsBefore < 12, $"evidence grew from {recordsBefore} to {done["evidence"]!["records"]}");
    }

    async Task<int> CountEvidenceKindAsync(string id, string kind)
    {
        int count = 0;
        for (int seq = 1; ; seq++)
        {
            var (status, body) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/records/{seq}", ChangeClient.Auditor);
            if (status != HttpStatusCode.OK)
            {
                return count;
            }

            count += body!["kind"]!.GetValue<string>() == kind ? 1 : 0;
        }
    }
}
