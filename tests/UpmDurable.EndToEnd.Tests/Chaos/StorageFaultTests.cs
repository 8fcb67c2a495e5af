using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using UpmDurable.Testing;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.EndToEnd.Tests.Chaos;

/// <summary>Storage that goes away or refuses a write: changes pause and finish, or fail visibly; nothing is lost or done twice.</summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Change_paused_by_a_storage_outage_mid_wave_finishes_after_storage_returns_with_each_step_applied_once()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using var host = new LocalHostProcess(azurite.ConnectionString, "outagehub");
        host.ExtraArgs.AddRange(["--Upm:Sandbox:LatencyMs=1500", "--Upm:Local:PartitionLeaseSeconds=6", "--Upm:Local:MessageVisibilitySeconds=10", "--Upm:Local:DriftSweepMinutes=0"]);
        await host.StartAsync();
        var api = new ChangeClient(host);
        string s = ChangeClient.Suffix();
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(s));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash)).Status);

        // Wave 2 (the cluster) has changed the sandbox: storage goes away while the change is mid-flight.
        var sandbox = new SandboxState(azurite.Clients());
        var deadline = DateTime.UtcNow + Timeout;
        while (await sandbox.ApplyCountAsync("az_aks", $"aks-{s}") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "wave 2 never started");
            await Task.Delay(50);
        }

        await azurite.StopAsync();
        var outage = Stopwatch.StartNew();
        HttpStatusCode health = HttpStatusCode.OK;
        while (outage.Elapsed < TimeSpan.FromSeconds(15))
        {
            using HttpResponseMessage response = await host.Http.GetAsync("/api/health");
            health = response.StatusCode == HttpStatusCode.ServiceUnavailable ? response.StatusCode : health;
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
        await azurite.RestartAsync();
        var recovery = Stopwatch.StartNew();
        output.WriteLine($"storage stopped for {outage.Elapsed.TotalSeconds:F1} s");

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back", "rollback_failed");
        output.WriteLine($"change {done["status"]} {recovery.Elapsed.TotalSeconds:F1} s after storage returned");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
        var steps = done["execution"]!["steps"]!.AsArray().Select(x => x!["step_id"]!.GetValue<string>()).ToList();
        Assert.Equal(3, steps.Count);
        Assert.Equal(3, steps.Distinct().Count());
        await AssertEvidenceVerifiesAsync(api, id, done);
        Assert.Equal("completed", await ListedStatusAsync(api, id));
    }

    [Fact]
    public async Task Evidence_write_that_fails_permanently_fails_the_change_visibly_and_overwrites_nothing()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using var host = new LocalHostProcess(azurite.ConnectionString, "evfailhub");
        host.ExtraArgs.Add("--Upm:Local:DriftSweepMinutes=0");
        await host.StartAsync();
        var api = new ChangeClient(host);
        string s = ChangeClient.Suffix();
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(s));
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        int records = waiting["evidence"]!["records"]!.GetValue<int>();

        // Someone else's record already sits where the approval record must go: write-once storage refuses ours forever.
        BlobClient squatter = azurite.Clients().EvidenceContainer.GetBlobClient($"acme/{id}/{records + 1:D8}-approval.json");
        byte[] foreign = Encoding.UTF8.GetBytes($"{{\"seq\":{records + 1},\"kind\":\"approval\",\"body\":\"not ours\"}}");
        await squatter.UploadAsync(new BinaryData(foreign));

        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash)).Status);
        JsonNode failed = await api.WaitForStatusAsync(id, Timeout, "failed", "completed", "rolled_back");

        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Contains("evidence record", failed["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("failed", await ListedStatusAsync(api, id));
        Assert.Equal(foreign, (await squatter.DownloadContentAsync()).Value.Content.ToArray());

        // Nothing ran without its approval on record.
        var sandbox = new SandboxState(azurite.Clients());
        Assert.Null(await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Null(await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Empty(failed["execution"]!["steps"]!.AsArray());
        Assert.Contains("Evidence conflict for change " + id, host.Log, StringComparison.Ordinal);

        // The orchestration itself ends failed too (after its retries), and the record still says failed.
        var deadline = DateTime.UtcNow + Timeout;
        string? runtime = null;
        while (DateTime.UtcNow < deadline && runtime != "Failed")
        {
            var row = await azurite.Clients().Tables.GetTableClient("evfailhubInstances").GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(id, string.Empty);
            runtime = row.HasValue ? row.Value!.GetString("RuntimeStatus") : null;
            await Task.Delay(500);
        }

        Assert.Equal("Failed", runtime);
        Assert.Equal("failed", (await api.GetAsync(id))["status"]!.GetValue<string>());
    }

    static async Task AssertEvidenceVerifiesAsync(ChangeClient api, string id, JsonNode record)
    {
        var (status, verify) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.Equal(record["evidence"]!["records"]!.GetValue<int>(), verify["records"]!.GetValue<int>());
        Assert.Equal(record["evidence"]!["chain_head"]!.GetValue<string>(), verify["chain_head"]!.GetValue<string>());
    }

    static async Task<string?> ListedStatusAsync(ChangeClient api, string id)
    {
        var (_, list) = await api.SendAsync(HttpMethod.Get, "/api/changes?limit=500", ChangeClient.Submitter);
        return list!["changes"]!.AsArray().FirstOrDefault(c => c!["change_id"]!.GetValue<string>() == id)?["status"]?.GetValue<string>();
    }
}
