using System.Diagnostics;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Crash and idle behaviour of the local host, each on its own host process (own task hub) so it can be killed.</summary>
public sealed class DurabilityTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Host_killed_while_a_change_awaits_approval_resumes_after_restart_and_runs_each_step_once()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using var first = new LocalHostProcess(azurite.ConnectionString, "crashhub");
        await first.StartAsync();
        string s = ChangeClient.Suffix();
        var (id, planHash) = await new ChangeClient(first).SubmitAsync(ChangeClient.SampleChange(s));
        await new ChangeClient(first).WaitForStatusAsync(id, Timeout, "awaiting_approval");

        // SIGKILL by PID, as a crash would: no graceful shutdown.
        Process.GetProcessById(first.Pid).Kill();
        await first.KillAsync();

        await using var second = new LocalHostProcess(azurite.ConnectionString, "crashhub");
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
