using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>Role × route × tenant: every route of the API for every demo identity and without one (docs/contract/api.md).</summary>
[Collection("security")]
public sealed class RoleMatrixTests(SecurityFixture fixture)
{
    // Columns: alice (submitter), bob (approver+submitter), dave (auditor), erin (admin), frank (submitter, no group), gina (other tenant).
    // Operator controls on the matrix's change (approver group platform-owners) are tested for an approver outside it below.
    static readonly string[] Keys = [ChangeClient.Submitter, ChangeClient.Approver, ChangeClient.Auditor, ChangeClient.Admin, ChangeClient.Viewer, ChangeClient.OtherTenant];

    [Fact]
    public async Task Every_route_answers_each_role_and_tenant_as_specified()
    {
        ChangeClient api = fixture.Api;
        JsonObject sample = ChangeClient.SampleChange(ChangeClient.Suffix());
        var (id, _) = await api.SubmitApprovedAsync(sample);
        await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "completed");
        string planHash = (await api.GetAsync(id))["plan"]!["plan_hash"]!.GetValue<string>();

        // Submissions wait for an approval that never comes (nothing runs); a plan is a dry run.
        string submit = ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString();
        string reason = """{"reason":"matrix"}""";

        // Expected status per key, in the order of Keys; Anonymous is the answer without a key.
        var matrix = new (string Method, string Path, string? Body, int[] Expected, int Anonymous)[]
        {
            ("GET", "/api/health", null, [200, 200, 200, 200, 200, 200], 200),
            ("GET", "/api/evidence/public-key", null, [200, 200, 200, 200, 200, 200], 200),
            ("POST", "/api/plans", submit, [200, 200, 403, 200, 200, 403], 401),
            ("POST", "/api/changes", submit, [202, 202, 403, 202, 202, 403], 401),
            ("GET", "/api/changes", null, [200, 200, 200, 200, 200, 200], 401),
            ("GET", $"/api/changes/{id}", null, [200, 200, 200, 200, 404, 404], 401),
            ("GET", $"/api/changes/{id}/plan", null, [200, 200, 200, 200, 404, 404], 401),
            ("POST", $"/api/changes/{id}/approvals", $$"""{"decision":"approve","plan_hash":"{{planHash}}"}""", [403, 409, 403, 409, 403, 404], 401),
            ("POST", $"/api/changes/{id}/pause", reason, [403, 409, 403, 409, 403, 404], 401),
            ("POST", $"/api/changes/{id}/resume", reason, [403, 409, 403, 409, 403, 404], 401),
            ("POST", $"/api/changes/{id}/abort", reason, [403, 409, 403, 409, 403, 404], 401),
            ("POST", $"/api/changes/{id}/rollback?dry_run=true", reason, [403, 200, 403, 200, 403, 404], 401),
            ("GET", $"/api/changes/{id}/drift", null, [200, 200, 200, 200, 404, 404], 401),
            ("POST", "/api/drift/reconcile", null, [403, 403, 403, 200, 403, 403], 401),
            ("POST", "/api/sandbox/resources/az_aks/no-such-cluster", """{"health":"healthy"}""", [403, 403, 403, 404, 403, 403], 401),
            ("GET", "/api/openapi.json", null, [200, 200, 200, 200, 200, 200], 200),
            ("GET", $"/api/changes/{id}/evidence", null, [403, 403, 200, 200, 403, 403], 401),
            ("GET", $"/api/changes/{id}/evidence/verify", null, [403, 403, 200, 200, 403, 403], 401),
            ("GET", $"/api/changes/{id}/evidence/records/1", null, [403, 403, 200, 200, 403, 403], 401),
            ("GET", "/api/kpis", null, [403, 403, 200, 200, 403, 403], 401),
            ("GET", "/api/scorecard", null, [403, 403, 200, 200, 403, 403], 401),

            // Signed, not keyed: an unsigned call is refused whoever sends it.
            // Rolling back the completed change: the first approver starts it; after that it is running or finished (409).
            ("POST", $"/api/changes/{id}/rollback", reason, [403, 202, 403, 409, 403, 404], 401),

            ("POST", "/api/webhooks/approvals/generic", $$"""{"change_id":"{{id}}","plan_hash":"{{planHash}}","decision":"approve","approver":"x"}""", [401, 401, 401, 401, 401, 401], 401),
        };

        var failures = new List<string>();
        foreach (var (method, path, body, expected, anonymous) in matrix)
        {
            for (int k = 0; k < Keys.Length; k++)
            {
                await Expect(method, path, Keys[k], body, expected[k], failures);
            }

            await Expect(method, path, null, body, anonymous, failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Operator_controls_need_an_approver_of_the_change_s_groups_or_an_admin()
    {
        ChangeClient api = fixture.Api;

        // Visible to the whole tenant, so an approver outside its groups reads it and is refused for what they may not do.
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix());
        change["visibility"] = "org";
        var (id, _) = await api.SubmitAsync(change, ChangeClient.Approver);
        await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "awaiting_approval");

        var failures = new List<string>();
        foreach (string action in new[] { "pause", "resume", "abort", "rollback" })
        {
            var (status, problem) = await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/{action}", SecurityFixture.OutsiderApproverKey, """{"reason":"outsider"}""");
            if (status != HttpStatusCode.Forbidden || problem?["detail"]?.GetValue<string>().Contains("platform-owners", StringComparison.Ordinal) != true)
            {
                failures.Add($"{action} by an approver outside platform-owners: {(int)status} {problem}");
            }

            // The submitter role alone operates nothing, as before.
            await Expect("POST", $"/api/changes/{id}/{action}", ChangeClient.Viewer, null, 403, failures);
        }

        // The dry run starts nothing: any approver who reads the change may ask for it.
        await Expect("POST", $"/api/changes/{id}/rollback?dry_run=true", SecurityFixture.OutsiderApproverKey, null, 200, failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        JsonNode untouched = await api.GetAsync(id);
        Assert.Equal("awaiting_approval", untouched["status"]!.GetValue<string>());
        Assert.Empty(untouched["operator_commands"]?.AsArray() ?? []);

        // Its initiator, an approver of its group, may (no separation of duties for stopping a change); so may another
        // approver of the group, and an admin.
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/pause", ChangeClient.Approver)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/resume", ChangeClient.Approver2)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/abort", ChangeClient.Admin, """{"reason":"admin stops it"}""")).Status);

        JsonNode done = await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "aborted");
        Assert.Equal(["pause by bob", "resume by carol", "abort by erin"], done["operator_commands"]!.AsArray().Select(c => $"{c!["action"]!.GetValue<string>()} by {c["by"]!.GetValue<string>()}"));
        Assert.Equal("erin", done["operator_commands"]![2]!["by_name"]!.GetValue<string>());
    }

    async Task Expect(string method, string path, string? key, string? body, int expected, List<string> failures)
    {
        var (status, problem) = await fixture.Api.SendAsync(new HttpMethod(method), path, key, body);
        if ((int)status != expected)
        {
            failures.Add($"{method} {path} as {key ?? "anonymous"}: {(int)status}, expected {expected}");
        }
        else if (expected >= 400 && problem?["status"]?.GetValue<int>() != expected)
        {
            failures.Add($"{method} {path} as {key ?? "anonymous"}: {expected} without a problem document");
        }
    }
}
