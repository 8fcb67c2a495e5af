using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Drift monitors, remediation, reconciliation sweeps, and rollback of a completed change.</summary>
[Collection("drift")]
public sealed class DriftTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    readonly ChangeClient api = fixture.Api;
    readonly SandboxState sandbox = new(fixture.Azurite.Clients());

    // A change monitored every interval (approved by a human before it runs).
    static JsonObject Monitored(string suffix, string mode = "report", string interval = "PT2S")
    {
        JsonObject change = ChangeClient.SampleChange(suffix);
        change["drift"] = new JsonObject { ["mode"] = mode, ["interval"] = interval };
        return change;
    }

    async Task<string> CompletedAsync(JsonObject change)
    {
        var (id, _) = await api.SubmitApprovedAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "rolled_back", "failed", "preflight_failed");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        return id;
    }

    async Task<JsonNode> DriftAsync(string id, string key = ChangeClient.Submitter)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/drift", key);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    async Task<JsonNode> WaitForDriftAsync(string id, Func<JsonNode, bool> until, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? Timeout);
        JsonNode report = await DriftAsync(id);
        while (!until(report))
        {
            Assert.True(DateTime.UtcNow < deadline, $"drift report of {id} never matched; last: {report}\nHost log tail:\n{(fixture.Host.Log.Length > 8000 ? fixture.Host.Log[^8000..] : fixture.Host.Log)}");
            await Task.Delay(250);
            report = await DriftAsync(id);
        }

        return report;
    }

    Task<(HttpStatusCode Status, JsonNode? Body)> Tamper(string type, string name, JsonObject body) =>
        api.SendAsync(HttpMethod.Post, $"/api/sandbox/resources/{type}/{name}", ChangeClient.Admin, body.ToJsonString());

    static string Status(JsonNode report) => report["status"]!.GetValue<string>();

    [Fact]
    public async Task The_monitor_reports_a_changed_property_and_a_deleted_resource_with_the_right_diff()
    {
        string s = ChangeClient.Suffix();
        string id = await CompletedAsync(Monitored(s));
        JsonNode first = await WaitForDriftAsync(id, r => Status(r) == "in_sync");
        Assert.Equal((await api.GetAsync(id))["verification"]!["baseline_hash"]!.GetValue<string>(), first["baseline_hash"]!.GetValue<string>());
        Assert.Equal(first["baseline_hash"]!.GetValue<string>(), first["current_hash"]!.GetValue<string>());
        Assert.Equal(3, first["resources_checked"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await Tamper("az_aks", $"aks-{s}", new JsonObject { ["fields"] = new JsonObject { ["properties.node_count"] = "5" } })).Status);
        JsonNode drifted = await WaitForDriftAsync(id, r => Status(r) == "drifted");
        JsonNode entry = Assert.Single(drifted["diff"]!.AsArray())!;
        Assert.Equal("properties.node_count", entry["field"]!.GetValue<string>());
        Assert.Equal("2", entry["intended"]!.GetValue<string>());
        Assert.Equal("5", entry["actual"]!.GetValue<string>());
        Assert.NotEqual(drifted["baseline_hash"]!.GetValue<string>(), drifted["current_hash"]!.GetValue<string>());

        // The alarm is sent right after the report is saved.
        DateTime alarmDeadline = DateTime.UtcNow + Timeout;
        while (!fixture.Notifications.Received.Any(n => n.Body.Contains("drift_detected", StringComparison.Ordinal) && n.Body.Contains(id, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < alarmDeadline, "no signed drift_detected notice was sent");
            await Task.Delay(200);
        }

        await Tamper("k8s_namespace", $"ns-{s}", new JsonObject { ["delete"] = true });
        JsonNode deleted = await WaitForDriftAsync(id, r => r["diff"]!.AsArray().Any(d => d!["field"]!.GetValue<string>() == "exists"));
        JsonNode gone = deleted["diff"]!.AsArray().Single(d => d!["field"]!.GetValue<string>() == "exists")!;
        Assert.Contains($"ns-{s}", gone["resource"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("false", gone["actual"]!.GetValue<string>());

        // Another tenant cannot see the report.
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/drift", ChangeClient.OtherTenant)).Status);
    }

    [Fact]
    public async Task Remediate_mode_restores_the_intended_state_through_its_own_change_and_evidence()
    {
        string s = ChangeClient.Suffix();
        string id = await CompletedAsync(Monitored(s, "remediate"));
        await WaitForDriftAsync(id, r => Status(r) == "in_sync");

        await Tamper("az_aks", $"aks-{s}", new JsonObject { ["fields"] = new JsonObject { ["properties.node_count"] = "9" } });

        // The remediation is a change of its own: policy asks a human to approve it like any other. (The drift report
        // names it once it has finished; while it waits, it is found in the change list.)
        string fix = await RemediationOfAsync(id);
        JsonNode waiting = await api.WaitForStatusAsync(fix, Timeout, "awaiting_approval");
        Assert.Equal("every-change-needs-a-human", waiting["approvals"]!["rule"]!.GetValue<string>());
        var (decided, answer) = await api.DecideAsync(fix, "approve", waiting["approvals"]!["plan_hash"]!.GetValue<string>());
        Assert.True(decided == HttpStatusCode.Accepted, $"{decided} {answer}");
        JsonNode healed = await WaitForDriftAsync(id, r => r["remediation_change_id"]?.GetValue<string>() == fix && Status(r) == "in_sync");
        Assert.Equal("completed", healed["remediation_status"]!.GetValue<string>());

        JsonNode remediation = await api.GetAsync(fix);
        Assert.Equal("completed", remediation["status"]!.GetValue<string>());
        Assert.Equal("upm-drift-monitor", remediation["initiator"]!.GetValue<string>());
        Assert.Single(remediation["plan"]!["steps"]!.AsArray());
        var (verified, chain) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{fix}/evidence/verify", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, verified);
        Assert.True(chain!["ok"]!.GetValue<bool>());
        Assert.Equal(2, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
    }

    async Task<string> RemediationOfAsync(string id)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var (status, list) = await api.SendAsync(HttpMethod.Get, "/api/changes?limit=500", ChangeClient.Submitter);
            Assert.Equal(HttpStatusCode.OK, status);
            JsonNode? remediation = list!["changes"]!.AsArray().FirstOrDefault(c => c!["request"]!.GetValue<string>().Contains($"Remediate drift of change {id}", StringComparison.Ordinal));
            if (remediation is not null)
            {
                return remediation["change_id"]!.GetValue<string>();
            }

            Assert.True(DateTime.UtcNow < deadline, $"no remediation change of {id} was started");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task The_monitor_continues_as_new_so_its_history_stays_bounded_over_fifty_checks()
    {
        string s = ChangeClient.Suffix();
        string id = await CompletedAsync(Monitored(s, interval: "PT1S"));
        await WaitForDriftAsync(id, r => r["iterations"]!.GetValue<int>() >= 50, TimeSpan.FromMinutes(4));

        // The history a replay loads is the current execution's; ContinueAsNew starts a new one each check.
        var clients = fixture.Azurite.Clients();
        TableEntity instance = (await clients.Tables.GetTableClient("e2ehubInstances").GetEntityAsync<TableEntity>("drift-" + id, string.Empty)).Value;
        string execution = instance.GetString("ExecutionId");
        var byExecution = new Dictionary<string, int>();
        TableClient history = clients.Tables.GetTableClient("e2ehubHistory");
        var types = new List<string>();
        await foreach (TableEntity row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"drift-" + id}"), select: ["ExecutionId", "EventType", "RowKey"]))
        {
            if (row.GetString("ExecutionId") == execution)
            {
                types.Add(row.GetString("EventType"));
            }

            string key = row.GetString("ExecutionId") ?? "(none)";
            byExecution[key] = byExecution.GetValueOrDefault(key) + 1;
        }

        // One check is about a dozen history events; fifty checks in one history would be hundreds.
        Assert.True(byExecution.GetValueOrDefault(execution) is > 0 and <= 30, $"the current execution holds {byExecution.GetValueOrDefault(execution)} history rows: {string.Join(" ", types)}");
        Assert.True(byExecution.Count < 25, $"{byExecution.Count} executions' history rows are kept for 50 checks");
    }

    [Fact]
    public async Task The_sweep_restarts_a_terminated_monitor_and_is_for_admins_only()
    {
        string s = ChangeClient.Suffix();
        string id = await CompletedAsync(Monitored(s, interval: "PT30S"));
        DurableTaskClient client = HostDurableClient.For(fixture.Host);
        string monitor = "drift-" + id;
        await client.TerminateInstanceAsync(monitor, "operator terminated it");
        OrchestrationMetadata? terminated = await client.WaitForInstanceCompletionAsync(monitor, new CancellationTokenSource(Timeout).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, "/api/drift/reconcile", ChangeClient.Approver)).Status);
        var (status, sweep) = await api.SendAsync(HttpMethod.Post, "/api/drift/reconcile", ChangeClient.Admin);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(sweep!["restarted"]!.GetValue<int>() >= 1, sweep.ToJsonString());

        OrchestrationMetadata? restarted = await client.GetInstanceAsync(monitor);
        Assert.NotNull(restarted);
        Assert.True(restarted.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending, $"monitor is {restarted.RuntimeStatus}");
        await client.TerminateInstanceAsync(monitor, "test done");
    }

    [Fact]
    public async Task A_completed_change_rolls_back_on_request_after_a_dry_run_and_its_monitor_stops()
    {
        string s = ChangeClient.Suffix();
        string id = await CompletedAsync(Monitored(s));
        await WaitForDriftAsync(id, r => Status(r) == "in_sync");

        var (dryStatus, dry) = await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback?dry_run=true", ChangeClient.Approver);
        Assert.Equal(HttpStatusCode.OK, dryStatus);
        Assert.True(dry!["executable"]!.GetValue<bool>());
        var steps = dry["steps"]!.AsArray();
        Assert.Equal(3, steps.Count);
        Assert.Contains($"ns-{s}", steps[0]!["step_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(steps, step => Assert.Equal("delete", step!["action"]!.GetValue<string>()));
        Assert.All(steps, step => Assert.Equal("ok", step!["guard"]!.GetValue<string>()));
        Assert.Equal("completed", (await api.GetAsync(id))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback", ChangeClient.Submitter)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback", ChangeClient.Admin, "{\"reason\":\"customer cancelled\"}")).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "rollback_failed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        Assert.Equal("erin", done["rollback"]!["requested_by"]!.GetValue<string>());
        Assert.All(done["rollback"]!["read_backs"]!.AsArray(), r => Assert.Equal("gone", r!["state"]!.GetValue<string>()));
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        var (_, chain) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
        Assert.True(chain!["ok"]!.GetValue<bool>(), chain.ToJsonString());

        JsonNode stopped = await WaitForDriftAsync(id, r => Status(r) == "stopped");
        Assert.Matches("the change is (rolling_back|rolled_back)", stopped["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback", ChangeClient.Admin)).Status);
    }
}
