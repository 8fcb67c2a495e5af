using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>The HTTP contract: problem details naming the field, identity and roles, tenant scoping, idempotency, approval guards.</summary>
[Collection("host")]
public sealed class ChangeApiTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    public static TheoryData<string, string> BadRequests => new()
    {
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {", "target" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"cloud\": \"azure\"}}", "target.resources" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"resources\": [{\"type\": \"az_teleporter\", \"name\": \"t1\"}]}}", "target.resources[0].type" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"resources\": [{\"type\": \"k8s_namespace\", \"name\": \"a;rm -rf /\"}]}}", "target.resources[0].name" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"resources\": [{\"type\": \"k8s_namespace\", \"name\": 42}]}}", "target.resources[0].name" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"colour\": \"blue\", \"target\": {\"resources\": [{\"type\": \"k8s_namespace\", \"name\": \"a\"}]}}", "colour" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"approvals\": {\"timeout\": \"three days\"}, \"target\": {\"resources\": [{\"type\": \"k8s_namespace\", \"name\": \"a\"}]}}", "approvals.timeout" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"resources\": [{\"type\": \"az_aks\", \"name\": \"k\", \"resource_group\": \"rg-nowhere\"}]}}", "target.resources[0].resource_group" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"provider\": \"cli\", \"resources\": [{\"type\": \"command\", \"name\": \"c1\", \"command\": \"kubectl-1.29 get ns; reboot\"}]}}", "target.resources[0].command" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"provider\": \"cli\", \"resources\": [{\"type\": \"az_storage_container\", \"name\": \"Bad_Name\"}]}}", "target.resources[0].name" },
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"provider\": \"cli\", \"resources\": [{\"type\": \"az_storage_container\", \"name\": \"logs\", \"properties\": {\"upm_change\": \"chg-x\"}}]}}", "target.resources[0].properties.upm_change" },
        // Test-only activity faults are refused by a host that does not enable them (this one does not).
        { "{\"request\": \"x\", \"tenant\": \"acme\", \"target\": {\"faults\": [{\"on\": \"checkpoint\", \"times\": 5}], \"resources\": [{\"type\": \"k8s_namespace\", \"name\": \"a\"}]}}", "target.faults[0].on" },
        { "[]", "$" },
        { "", "$" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_starts_no_orchestration(string body, string field)
    {
        var clients = fixture.Azurite.Clients();
        int before = await SandboxState.InstanceCountAsync(clients, "e2ehub");

        using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, body);
        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonNode problem = JsonNode.Parse(text)!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors should name '{field}': {text}");
        Assert.Equal(before, await SandboxState.InstanceCountAsync(clients, "e2ehub"));
    }

    [Fact]
    public async Task The_contracts_request_example_is_accepted_verbatim_and_policy_raises_its_approvals()
    {
        // The JSON block under "Change request" in the contract, byte for byte (docs/contract/api.md is the contract's copy).
        string contract = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "contract", "api.md"));
        int start = contract.IndexOf("```json\n{\n  \"request\"", StringComparison.Ordinal) + "```json\n".Length;
        string example = contract[start..contract.IndexOf("```", start, StringComparison.Ordinal)];

        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, example);
        Assert.True(status == HttpStatusCode.Accepted, $"{status} {body}");
        string id = body!["change_id"]!.GetValue<string>();

        // prod-east needs two approvers under the shipped policy: the example's "required": 1 is raised, not obeyed.
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval", "waiting_for_lock", "failed", "preflight_failed");
        Assert.Equal("awaiting_approval", waiting["status"]!.GetValue<string>());
        Assert.Equal(2, waiting["approvals"]!["required"]!.GetValue<int>());
        Assert.Equal(1, waiting["approvals"]!["requested"]!.GetValue<int>());
        Assert.Equal("prod-or-high-risk-needs-two", waiting["approvals"]!["rule"]!.GetValue<string>());
        Assert.Equal(30, waiting["intent"]!["health_gate"]!["observe_seconds"]!.GetValue<int>());

        string planHash = waiting["approvals"]!["plan_hash"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver)).Status);
        Assert.Equal("rejected", (await api.WaitForStatusAsync(id, Timeout, "rejected", "failed"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_status_of_the_vocabulary_is_a_list_filter()
    {
        foreach (string status in Core.Model.ChangeStatuses.All)
        {
            var (answer, body) = await api.SendAsync(HttpMethod.Get, $"/api/changes?status={status}", ChangeClient.Viewer);
            Assert.True(answer == HttpStatusCode.OK, $"status={status}: {answer} {body}");
        }

        Assert.Contains("waiting_for_lock", Core.Model.ChangeStatuses.All);
        var (unknown, problem) = await api.SendAsync(HttpMethod.Get, "/api/changes?status=sleeping", ChangeClient.Viewer);
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Contains("waiting_for_lock", problem!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dependency_cycle_is_a_400_naming_the_resources()
    {
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix());
        change["target"]!["resources"] = new JsonArray(
            new JsonObject { ["type"] = "k8s_namespace", ["name"] = "a", ["depends_on"] = new JsonArray("b") },
            new JsonObject { ["type"] = "k8s_namespace", ["name"] = "b", ["depends_on"] = new JsonArray("a") });
        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, change.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string message = body!["errors"]!["target.resources"]![0]!.GetValue<string>();
        Assert.Contains("k8s_namespace/a", message, StringComparison.Ordinal);
        Assert.Contains("k8s_namespace/b", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_is_required_and_roles_are_enforced()
    {
        string change = ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Post, "/api/changes", null, change)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Post, "/api/changes", "not-a-key", change)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Auditor, change)).Status);
        var (health, _) = await api.SendAsync(HttpMethod.Get, "/api/health", null);
        Assert.Equal(HttpStatusCode.OK, health);
    }

    [Fact]
    public async Task Another_tenant_neither_sees_nor_approves_a_change_and_cannot_submit_for_it()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}", ChangeClient.OtherTenant)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DecideAsync(id, "approve", planHash, ChangeClient.OtherTenant)).Status);
        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.OtherTenant, ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(body!["errors"]!.AsObject().ContainsKey("tenant"));

        await api.DecideAsync(id, "reject", planHash, comment: "cleanup");
    }

    [Fact]
    public async Task Approvals_are_refused_for_the_initiator_and_for_a_stale_plan_hash()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()), ChangeClient.Approver);
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        var (self, selfBody) = await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver);
        Assert.Equal(HttpStatusCode.Forbidden, self);
        Assert.Contains("initiator", selfBody!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var (stale, staleBody) = await api.DecideAsync(id, "approve", "sha256:" + new string('0', 64), ChangeClient.Approver2);
        Assert.Equal(HttpStatusCode.Conflict, stale);
        Assert.True(staleBody!["errors"]!.AsObject().ContainsKey("plan_hash"));

        var (bad, badBody) = await api.DecideAsync(id, "maybe", planHash, ChangeClient.Approver2);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(badBody!["errors"]!.AsObject().ContainsKey("decision"));

        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver2)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver2)).Status);
    }

    [Fact]
    public async Task Idempotency_key_returns_the_same_change_for_the_same_body_and_409_for_another()
    {
        string key = "deploy-" + ChangeClient.Suffix();
        string body = ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString();

        async Task<(HttpStatusCode, JsonNode?)> Send(string json)
        {
            using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, json);
            request.Headers.Add("Idempotency-Key", key);
            using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        var (first, firstBody) = await Send(body);
        var (second, secondBody) = await Send(body);
        var (third, _) = await Send(ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(firstBody!["change_id"]!.GetValue<string>(), secondBody!["change_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, third);
    }

    [Fact]
    public async Task Plan_is_exported_as_json_mermaid_and_dot()
    {
        string s = ChangeClient.Suffix();
        var (id, planHash) = await api.SubmitApprovedAsync(ChangeClient.SampleChange(s));
        await api.WaitForStatusAsync(id, Timeout, "completed");

        var (status, plan) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/plan", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(planHash, plan!["plan_hash"]!.GetValue<string>());
        Assert.Equal($"az group create --name rg-{s} --location eastus", plan["commands"]![0]!.GetValue<string>());

        using HttpResponseMessage mermaid = await fixture.Host.Http.SendAsync(LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/plan?format=mermaid", ChangeClient.Auditor));
        string graph = await mermaid.Content.ReadAsStringAsync();
        Assert.StartsWith("graph TD", graph, StringComparison.Ordinal);
        Assert.Contains("-->", graph, StringComparison.Ordinal);
        using HttpResponseMessage dot = await fixture.Host.Http.SendAsync(LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/plan?format=dot", ChangeClient.Auditor));
        Assert.Contains($"\"az_resource_group/rg-{s}\" -> \"az_aks/aks-{s}\"", await dot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        var (status, body) = await api.SendAsync(HttpMethod.Get, "/api/nothing-here", ChangeClient.Submitter);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dry_run_returns_plan_simulation_policy_and_variants_and_starts_nothing()
    {
        var clients = fixture.Azurite.Clients();
        int before = await SandboxState.InstanceCountAsync(clients, "e2ehub");
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s);
        change["variants"] = new JsonArray("canary", "blue_green");

        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/plans", ChangeClient.Submitter, change.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("sha256:", body!["plan"]!["plan_hash"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, body["simulation"]!["create"]!.AsArray().Count);
        Assert.Empty(body["simulation"]!["delete"]!.AsArray());
        Assert.Equal("Plan: 3 to add, 0 to change, 0 to destroy.", body["simulation"]!["summary"]!.GetValue<string>());
        // Field-level plan: each step says what it sets, from nothing.
        JsonNode rg = body["simulation"]!["steps"]!.AsArray().Single(e => e!["step_id"]!.GetValue<string>() == $"az_resource_group/rg-{s}")!;
        Assert.Equal("create", rg["action"]!.GetValue<string>());
        JsonNode location = Assert.Single(rg["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "location")!;
        Assert.Equal(("eastus", null), (location["after"]!.GetValue<string>(), location["before"]));
        Assert.True(body["preflight"]!["ok"]!.GetValue<bool>());
        Assert.True(body["preflight"]!["policy"]!["passed"]!.GetValue<bool>());
        Assert.Equal(["blue_green", "canary"], body["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).Order());
        Assert.Equal("alice", body["annotation"]!["initiator"]!.GetValue<string>());
        Assert.Equal(before, await SandboxState.InstanceCountAsync(clients, "e2ehub"));
        Assert.Null(await new SandboxState(clients).ApplyCountAsync("az_aks", $"aks-{s}"));
    }
}
