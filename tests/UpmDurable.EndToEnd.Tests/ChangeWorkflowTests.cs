using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>The five-phase workflow through the local host: approve, reject, expire, fail and roll back.</summary>
[Collection("host")]
public sealed class ChangeWorkflowTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;
    readonly SandboxState sandbox = new(fixture.Azurite.Clients());

    [Fact]
    public async Task Approved_change_completes_with_all_five_phases_in_the_audit_trace()
    {
        string s = ChangeClient.Suffix();
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(s));
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(planHash, waiting["approvals"]!["plan_hash"]!.GetValue<string>());
        Assert.Empty(waiting["execution"]!["steps"]!.AsArray());

        var (status, _) = await api.DecideAsync(id, "approve", planHash, comment: "lgtm");
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var phases = done["audit_trace"]!.AsArray().Select(e => e!["phase"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(["plan", "preflight", "execute", "verify", "audit"], phases);
        Assert.Equal("bob", done["approvals"]!["decisions"]![0]!["approver"]!.GetValue<string>());
        Assert.Equal("alice", done["initiator"]!.GetValue<string>());
        Assert.Equal(3, done["execution"]!["steps"]!.AsArray().Count);
        Assert.All(done["execution"]!["steps"]!.AsArray(), step => Assert.Equal(0, step!["rc"]!.GetValue<int>()));
        Assert.True(done["verification"]!["ok"]!.GetValue<bool>());
        Assert.StartsWith("sha256:", done["verification"]!["baseline_hash"]!.GetValue<string>());
        Assert.True(done["evidence"]!["records"]!.GetValue<int>() >= 7);
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
    }

    [Fact]
    public async Task Rejected_change_ends_rejected_and_executes_nothing()
    {
        string s = ChangeClient.Suffix();
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(s));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        var (status, _) = await api.DecideAsync(id, "reject", planHash, comment: "not during the freeze");
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rejected", "completed");

        Assert.Equal("rejected", done["status"]!.GetValue<string>());
        Assert.Contains("not during the freeze", done["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(done["execution"]!["steps"]!.AsArray());
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
    }

    [Fact]
    public async Task Change_without_a_decision_expires_after_its_approval_timeout()
    {
        string s = ChangeClient.Suffix();
        var (id, _) = await api.SubmitAsync(ChangeClient.SampleChange(s, timeout: "PT3S"));
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "expired", "completed");

        Assert.Equal("expired", done["status"]!.GetValue<string>());
        Assert.Equal("expired", done["approvals"]!["outcome"]!.GetValue<string>());
        Assert.Empty(done["execution"]!["steps"]!.AsArray());
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
    }

    [Fact]
    public async Task Failing_step_runs_compensations_of_earlier_steps_last_in_first_out()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s, approvalsRequired: null);
        change["target"]!["resources"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "k8s_deployment", ["name"] = $"web-{s}", ["namespace"] = $"ns-{s}", ["properties"] = new JsonObject { ["image"] = "nginx:1.27" },
        });
        change["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"web-{s}", ["on"] = "apply" });

        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "completed", "rollback_failed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        var executed = done["execution"]!["steps"]!.AsArray();
        Assert.Equal("failed", executed.Single(e => e!["step_id"]!.GetValue<string>() == $"k8s_deployment/web-{s}")!["outcome"]!.GetValue<string>());
        var rollback = done["rollback"]!["steps"]!.AsArray().Select(r => (Id: r!["step_id"]!.GetValue<string>(), Outcome: r["outcome"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [($"k8s_deployment/web-{s}", "absent"), ($"k8s_namespace/ns-{s}", "deleted"), ($"az_aks/aks-{s}", "deleted"), ($"az_resource_group/rg-{s}", "deleted")],
            rollback);
        Assert.True(done["rollback"]!["executed"]!.GetValue<bool>());
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Null(await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));

        // The failed step (recorded by the orchestrator) and every compensation say simulated, with the would-be command apart.
        Assert.All(executed.Concat(done["rollback"]!["steps"]!.AsArray()), step =>
        {
            Assert.True(step!["simulated"]!.GetValue<bool>());
            Assert.Equal("simulated: " + step["would_run"]!.GetValue<string>(), step["cmd"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Failing_verification_rolls_the_change_back()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s, approvalsRequired: null);
        change["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"aks-{s}", ["on"] = "verify" });

        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "completed", "rollback_failed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        Assert.False(done["verification"]!["ok"]!.GetValue<bool>());
        Assert.Contains($"az_aks/aks-{s}", done["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, done["rollback"]!["steps"]!.AsArray().Count);
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
    }

    [Fact]
    public async Task Missing_prerequisite_fails_preflight_with_an_actionable_message_and_executes_nothing()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s, approvalsRequired: null);
        change["target"]!["resources"] = new JsonArray(
            new JsonObject { ["type"] = "az_storage_account", ["name"] = $"st{s}", ["resource_group"] = $"rg-missing-{s}" });
        change["resources_needed"] = new JsonArray(new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-missing-{s}" });

        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "preflight_failed", "completed");

        Assert.Equal("preflight_failed", done["status"]!.GetValue<string>());
        Assert.Contains($"Missing prerequisite: az_resource_group 'rg-missing-{s}' does not exist", done["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(done["execution"]!["steps"]!.AsArray());
    }

    [Fact]
    public async Task A_deny_policy_halts_the_change_in_preflight_naming_the_rule()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s, approvalsRequired: null);
        change["target"]!["resources"]![1]!["properties"]!["node_count"] = 40;

        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "preflight_failed", "completed");

        Assert.Equal("preflight_failed", done["status"]!.GetValue<string>());
        Assert.Contains("max-node-count", done["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(done["preflight"]!["policy"]!["violations"]!.AsArray(), v => v!["rule_id"]!.GetValue<string>() == "max-node-count");
        Assert.Empty(done["execution"]!["steps"]!.AsArray());
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
    }

    [Fact]
    public async Task A_request_in_words_compiles_to_resources_and_completes()
    {
        string s = ChangeClient.Suffix();
        var change = new JsonObject
        {
            ["request"] = $"Create AKS cluster aks-{s} in eastus and namespace ns-{s}",
            ["tenant"] = "acme",
        };

        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "preflight_failed", "rolled_back");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
    }

    [Fact]
    public async Task A_closed_window_makes_the_change_wait_on_a_durable_timer_or_fail_when_told_not_to_wait()
    {
        string calendar = "freeze-" + ChangeClient.Suffix();
        DateTimeOffset end = DateTimeOffset.UtcNow.AddSeconds(8);
        string yaml = $"calendars:\n  - name: {calendar}\n    freezes:\n      - name: test-freeze\n        start: {DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}\n        end: {end:yyyy-MM-ddTHH:mm:ssZ}\n";
        var policies = fixture.Azurite.Clients().Blobs.GetBlobContainerClient("upm-policies");
        await policies.CreateIfNotExistsAsync();
        await policies.GetBlobClient($"windows-{calendar}.yaml").UploadAsync(BinaryData.FromString(yaml), overwrite: true);

        string s = ChangeClient.Suffix();
        JsonObject waiting = ChangeClient.SampleChange(s, approvalsRequired: null);
        waiting["window"] = new JsonObject { ["calendar"] = calendar };
        JsonObject impatient = ChangeClient.SampleChange(ChangeClient.Suffix(), approvalsRequired: null);
        impatient["window"] = new JsonObject { ["calendar"] = calendar, ["wait"] = false };

        var (waitingId, _) = await api.SubmitApprovedAsync(waiting);
        var (impatientId, _) = await api.SubmitApprovedAsync(impatient);

        JsonNode paused = await api.WaitForStatusAsync(waitingId, Timeout, "waiting_for_window", "completed");
        Assert.Equal("waiting_for_window", paused["status"]!.GetValue<string>());
        Assert.Empty(paused["execution"]!["steps"]!.AsArray());
        JsonNode refused = await api.WaitForStatusAsync(impatientId, Timeout, "preflight_failed", "failed", "completed");
        Assert.Equal("preflight_failed", refused["status"]!.GetValue<string>());
        Assert.Contains("window.wait=false", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        JsonNode done = await api.WaitForStatusAsync(waitingId, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.True(DateTimeOffset.UtcNow >= end.AddSeconds(-2), "the change ran only once the freeze had ended");
        Assert.Contains(done["audit_trace"]!.AsArray(), e => e!["msg"]!.GetValue<string>().Contains("waiting until", StringComparison.Ordinal));
    }
}
