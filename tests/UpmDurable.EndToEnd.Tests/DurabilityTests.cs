using System.Diagnostics;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using UpmDurable.Storage;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Crash and idle behaviour of the local host, each on its own host process (own task hub) so it can be killed.</summary>
public sealed class DurabilityTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Also the upgrade: the first host runs orchestration version 1.0, the restarted one 2.0 (docs/versioning.md). The
    /// change started on 1.0 completes at 1.0 (record and every evidence record say so) on the 2.0 worker; a change
    /// submitted after the restart runs at 2.0. With UPM_CAPTURE_HISTORIES set to a folder, the 1.0 change's history is
    /// written there (how tests/UpmDurable.Local.Tests/Histories was captured).
    /// </summary>
    [Fact]
    public async Task Host_killed_while_a_change_awaits_approval_resumes_after_restart_on_a_new_version_at_its_own_version_and_runs_each_step_once()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using var first = new LocalHostProcess(azurite.ConnectionString, "crashhub");
        first.ExtraArgs.Add("--Upm:Workflows:Version=1.0");
        await first.StartAsync();
        string s = ChangeClient.Suffix();
        var (id, planHash) = await new ChangeClient(first).SubmitAsync(ChangeClient.SampleChange(s));
        JsonNode waiting = await new ChangeClient(first).WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal("1.0", waiting["orchestration_version"]?.GetValue<string>());

        // SIGKILL by PID, as a crash would: no graceful shutdown.
        Process.GetProcessById(first.Pid).Kill();
        await first.KillAsync();

        await using var second = new LocalHostProcess(azurite.ConnectionString, "crashhub");
        second.ExtraArgs.Add("--Upm:Workflows:Version=2.0");
        await second.StartAsync();
        var api = new ChangeClient(second);
        Assert.Equal("awaiting_approval", (await api.GetAsync(id))["status"]!.GetValue<string>());
        var (status, _) = await api.DecideAsync(id, "approve", planHash);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var sandbox = new SandboxState(azurite.Clients());
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_resource_group", $"rg-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("az_aks", $"aks-{s}"));
        Assert.Equal(1, await sandbox.ApplyCountAsync("k8s_namespace", $"ns-{s}"));
        Assert.Equal(3, done["execution"]!["steps"]!.AsArray().Count);

        // Version 1.0's path to the end, on the 2.0 worker: the record and every evidence record say 1.0; the chain holds.
        Assert.Equal("1.0", done["orchestration_version"]?.GetValue<string>());
        var evidence = await new EvidenceStore(azurite.Clients()).ListAsync("acme", id);
        Assert.Equal(done["evidence"]!["records"]!.GetValue<int>(), evidence.Count);
        Assert.All(evidence, r => Assert.Equal("1.0", r.OrchestrationVersion));
        var (verifyStatus, verified) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
        Assert.Equal((System.Net.HttpStatusCode.OK, true), (verifyStatus, verified!["ok"]!.GetValue<bool>()));

        // A change submitted after the upgrade runs at 2.0.
        var (next, _) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        JsonNode nextWaiting = await api.WaitForStatusAsync(next, Timeout, "awaiting_approval");
        Assert.Equal("2.0", nextWaiting["orchestration_version"]?.GetValue<string>());

        if (Environment.GetEnvironmentVariable("UPM_CAPTURE_HISTORIES") is { Length: > 0 } folder)
        {
            // The history as the backend stores it (the gRPC sidecar does not stream history from the Azure Storage backend).
            var backend = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                StorageAccountClientProvider = new StorageAccountClientProvider(azurite.ConnectionString),
                TaskHubName = "crashhub",
            });
            string history = await backend.GetOrchestrationHistoryAsync(id, null);
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "change-v1.0-approved-after-restart.json"), OrchestrationHistoryFile.Format(history));
        }
    }
}

/// <summary>The local host after a long idle period, on its own host process so it runs beside the other tests.</summary>
public sealed class IdleHostTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Change_approved_after_more_than_three_idle_minutes_still_completes()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using var host = new LocalHostProcess(azurite.ConnectionString, "idlehub");
        await host.StartAsync();
        var api = new ChangeClient(host);
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        // The gRPC worker stream goes idle and reconnects after ~120 s; the decision must still reach the orchestration.
        await Task.Delay(TimeSpan.FromSeconds(190));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
    }
}
