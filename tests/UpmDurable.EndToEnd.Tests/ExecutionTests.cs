using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Safe execution: health-gated waves that self-pause, per-resource locks, verify-failure pause, compensations that fail.</summary>
[Collection("host")]
public sealed class ExecutionTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    readonly ChangeClient api = fixture.Api;
    readonly SandboxState sandbox = new(fixture.Azurite.Clients());

    static JsonObject Gated(string suffix, string faultOn = "verify", string faultResource = "aks")
    {
        JsonObject change = ChangeClient.SampleChange(suffix);
        change["health_gate"] = new JsonObject { ["observe_seconds"] = 0, ["min_healthy_percent"] = 100 };
        change["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"{faultResource}-{suffix}", ["on"] = faultOn });
        return change;
    }

    Task<(HttpStatusCode Status, JsonNode? Body)> Operate(string id, string action, string key = ChangeClient.Admin) =>
        api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/{action}", key, new JsonObject { ["reason"] = $"test {action}" }.ToJsonString());

    Task<(HttpStatusCode Status, JsonNode? Body)> Repair(string type, string name) =>
        api.SendAsync(HttpMethod.Post, $"/api/sandbox/resources/{type}/{name}", ChangeClient.Admin, new JsonObject { ["health"] = "healthy" }.ToJsonString());

    async Task<JsonNode> ApprovedAsync(JsonObject change)
    {
        var (id, planHash) = await api.SubmitAsync(change);
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash)).Status);
        return await api.GetAsync(id);
    }

    [Fact]
    public async Task An_unhealthy_wave_pauses_the_change_and_resume_after_repair_completes_it()
    {
        string s = ChangeClient.Suffix();
        string id = (await ApprovedAsync(Gated(s)))["change_id"]!.GetValue<string>();

        JsonNode paused = await api.WaitForStatusAsync(id, Timeout, "paused", "completed", "rolled_back");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Contains("health gate after wave 2", paused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, paused["execution"]!["steps"]!.AsArray().Count);
        Assert.Null(await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
        Assert.Contains(paused["execution"]!["health_gates"]!.AsArray(), p => p!["healthy_percent"]!.GetValue<double>() < 100);
        Assert.Contains(fixture.Notifications.Received, n => n.Body.Contains("change_paused", StringComparison.Ordinal) && n.Body.Contains(id, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, $"/api/sandbox/resources/az_aks/aks-{s}", ChangeClient.Approver, "{\"health\":\"healthy\"}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Repair("az_aks", $"aks-{s}")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "resume")).Status);

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "rolled_back", "failed");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1, await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
    }

    [Fact]
    public async Task Abort_of_a_change_paused_by_its_health_gate_rolls_back_and_reads_back_that_everything_is_gone()
    {
        string s = ChangeClient.Suffix();
        string id = (await ApprovedAsync(Gated(s)))["change_id"]!.GetValue<string>();
        await api.WaitForStatusAsync(id, Timeout, "paused");

        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "abort")).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "rollback_failed", "completed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        JsonNode rollback = done["rollback"]!;
        Assert.Equal(["gone", "gone"], rollback["read_backs"]!.AsArray().Select(r => r!["state"]!.GetValue<string>()));
        Assert.Empty(rollback["left_behind"]!.AsArray());
        Assert.NotNull(rollback["detected_at"]);
        Assert.NotNull(rollback["verified_at"]);
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
    }

    [Fact]
    public async Task A_second_change_on_a_locked_resource_waits_visibly_until_the_first_finishes()
    {
        string s = ChangeClient.Suffix();
        string first = (await ApprovedAsync(Gated(s)))["change_id"]!.GetValue<string>();
        await api.WaitForStatusAsync(first, Timeout, "paused");

        // The second change touches the same resource group; small and low-risk, it takes the auto-approval lane and reaches execution at once.
        var second = new JsonObject
        {
            ["request"] = $"Tag resource group rg-{s}",
            ["tenant"] = "acme",
            ["target"] = new JsonObject { ["provider"] = "sandbox", ["resources"] = new JsonArray(new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{s}", ["location"] = "eastus" }) },
            ["drift"] = new JsonObject { ["mode"] = "off" },
        };
        var (secondId, _) = await api.SubmitAsync(second);
        JsonNode waiting = await api.WaitForStatusAsync(secondId, Timeout, "waiting_for_lock", "completed");
        Assert.Equal("waiting_for_lock", waiting["status"]!.GetValue<string>());
        Assert.Contains(first, waiting["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(waiting["execution"]!["steps"]!.AsArray());

        await Repair("az_aks", $"aks-{s}");
        await Operate(first, "resume");
        JsonNode firstDone = await api.WaitForStatusAsync(first, Timeout, "completed", "rolled_back", "failed");
        JsonNode secondDone = await api.WaitForStatusAsync(secondId, Timeout, "completed", "rolled_back", "failed");

        Assert.Equal("completed", firstDone["status"]!.GetValue<string>());
        Assert.Equal("completed", secondDone["status"]!.GetValue<string>());
        DateTimeOffset firstFinished = firstDone["updated_at"]!.GetValue<DateTimeOffset>();
        DateTimeOffset secondStarted = secondDone["execution"]!["steps"]![0]!["started_at"]!.GetValue<DateTimeOffset>();
        Assert.True(secondStarted >= firstDone["execution"]!["steps"]!.AsArray().Max(x => x!["finished_at"]!.GetValue<DateTimeOffset>()),
            $"second change applied at {secondStarted:O} before the first finished its steps (first finished {firstFinished:O})");
    }

    [Fact]
    public async Task A_failed_verification_with_on_verify_failure_pause_waits_for_an_operator_and_verifies_again()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s);
        change["on_verify_failure"] = "pause";
        change["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"ns-{s}", ["on"] = "verify" });
        string id = (await ApprovedAsync(change))["change_id"]!.GetValue<string>();

        JsonNode paused = await api.WaitForStatusAsync(id, Timeout, "paused", "rolled_back", "completed");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.StartsWith("verification failed", paused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(paused["verification"]!["ok"]!.GetValue<bool>());

        await Repair("k8s_namespace", $"ns-{s}");
        await Operate(id, "resume");
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "rolled_back", "failed");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.True(done["verification"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_compensation_that_fails_is_recorded_and_the_others_still_run()
    {
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s);
        change["target"]!["faults"] = new JsonArray(
            new JsonObject { ["resource"] = $"ns-{s}", ["on"] = "apply" },
            new JsonObject { ["resource"] = $"aks-{s}", ["on"] = "compensate" });
        string id = (await ApprovedAsync(change))["change_id"]!.GetValue<string>();

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rollback_failed", "rolled_back", "completed");
        Assert.Equal("rollback_failed", done["status"]!.GetValue<string>());
        var outcomes = done["rollback"]!["steps"]!.AsArray().ToDictionary(r => r!["step_id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
        Assert.Equal(3, outcomes.Count);
        Assert.Contains(outcomes, o => o.Key.Contains($"aks-{s}", StringComparison.Ordinal) && o.Value == "failed");
        Assert.Contains(outcomes, o => o.Key.Contains($"rg-{s}", StringComparison.Ordinal) && o.Value == "deleted");
        Assert.Contains($"az_aks/aks-{s}", done["rollback"]!["left_behind"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
    }
}
