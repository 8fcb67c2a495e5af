using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Testing;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Two local hosts on one Azurite and one task hub, as `./run.sh` and `./run.sh --port 7072` run them: the Azure Storage
/// backend's partition manager splits the hub's control-queue partitions between them by lease (rows of
/// <c>{hub}Partitions</c>) and both take activities from the shared work-item queue. One is SIGKILLed in the middle of
/// 24 running changes; the survivor takes its partitions over and finishes every change.
/// </summary>
public sealed class TwoWorkerTests(ITestOutputHelper output)
{
    const string TaskHub = "twohub";
    const string Tenant = "acme";
    const int Changes = 24;

    // Short leases and visibility so takeover takes seconds (product defaults: 15 s and 30 s); slow sandbox calls keep
    // every change running long enough to be in flight when the worker dies.
    const int LeaseSeconds = 6;
    const int VisibilitySeconds = 10;
    const int SandboxLatencyMs = 1000;

    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Worker_killed_amid_24_running_changes_leaves_all_completed_by_the_survivor_each_step_applied_once_and_no_lock_held()
    {
        var total = Stopwatch.StartNew();
        await using Azurite azurite = await Azurite.StartAsync();
        StorageClients clients = azurite.Clients();
        await using LocalHostProcess victim = Worker(azurite), survivor = Worker(azurite);
        await Task.WhenAll(victim.StartAsync(), survivor.StartAsync());
        TimeSpan started = total.Elapsed;

        // Both workers own partitions before any change starts, so the kill takes orchestrations away from a worker.
        Dictionary<string, int> owners = await PollAsync(() => OwnersAsync(clients), o => o.Count == 4 && o.Values.Distinct().Count() == 2, "the two workers never shared the partitions");
        Assert.Equal(new[] { victim.Pid, survivor.Pid }.Order(), owners.Values.Distinct().Order());

        TimeSpan shared = total.Elapsed;
        string run = ChangeClient.Suffix()[..6];
        var names = Enumerable.Range(0, Changes).Select(i => string.Create(CultureInfo.InvariantCulture, $"{run}{i:D2}")).ToList();
        var apis = new[] { new ChangeClient(victim), new ChangeClient(survivor) };
        string[] ids = await Task.WhenAll(names.Select(async (n, i) => (await apis[i % 2].SubmitAsync(Change(n))).Id));

        // Kill once at least 20 changes are still running and execution has begun (resources applied in the sandbox).
        Snapshot atKill = await PollAsync(() => SnapshotAsync(clients, ids), s => s.Unfinished >= 20 && s.Applied >= 3 || s.Unfinished < 20, "no change ever started executing");
        Assert.True(atKill.Unfinished >= 20, $"the kill window was missed: only {atKill.Unfinished} changes still running ({atKill})");
        Assert.Equal(0, atKill.AwaitingApproval);
        owners = await OwnersAsync(clients);
        int victimPartitions = owners.Values.Count(p => p == victim.Pid);
        Assert.True(victimPartitions > 0, "the worker to kill owned no partition");

        TimeSpan killedAt = total.Elapsed;
        Process.GetProcessById(victim.Pid).Kill();
        var sinceKill = Stopwatch.StartNew();
        await victim.KillAsync();

        await PollAsync(() => OwnersAsync(clients), o => o.Count == 4 && o.Values.All(p => p == survivor.Pid), "the survivor never took over every partition");
        TimeSpan takeover = sinceKill.Elapsed;
        await PollAsync(() => SnapshotAsync(clients, ids), s => s.Unfinished == 0, "not every change finished after the kill");
        TimeSpan allDone = sinceKill.Elapsed;

        // Every change completed; each step recorded once and applied once in the sandbox; every evidence chain (records
        // signed by both workers) verifies; no resource lock is left held.
        var api = new ChangeClient(survivor);
        var sandbox = new SandboxState(clients);
        foreach (var (id, name) in ids.Zip(names))
        {
            JsonNode record = await api.GetAsync(id);
            Assert.True(record["status"]!.GetValue<string>() == ChangeStatuses.Completed, $"{id}: {record["status"]} ({record["reason"]})");
            var steps = record["execution"]!["steps"]!.AsArray().Select(s => s!["step_id"]!.GetValue<string>()).ToList();
            Assert.Equal(["k8s_configmap/cm-" + name, "k8s_configmap/cm2-" + name, "k8s_namespace/ns-" + name], steps.Order(StringComparer.Ordinal));
            foreach (var (type, resource) in Resources(name))
            {
                Assert.Equal(1, await sandbox.ApplyCountAsync(type, resource));
                TableEntity row = (await clients.ResourceTable.GetEntityAsync<TableEntity>(Tenant, $"sandbox~{type}~{resource}")).Value;
                Assert.True(row.GetString("LockedBy") is null, $"{type}/{resource} still locked by {row.GetString("LockedBy")}");
                Assert.Equal(id, row.GetString("OwnedBy"));
            }

            var (verified, body) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
            Assert.True(verified == System.Net.HttpStatusCode.OK && body?["ok"]?.GetValue<bool>() == true, $"{id}: evidence verify answered {verified}: {body}");
        }

        TimeSpan checkedAt = total.Elapsed;

        // A follow-up change on the first change's resources takes their locks and completes on the survivor alone.
        var (followUp, _) = await api.SubmitAsync(Change(names[0]));
        Assert.Equal(ChangeStatuses.Completed, (await api.WaitForStatusAsync(followUp, Deadline, "completed", "failed", "rolled_back", "awaiting_approval"))["status"]!.GetValue<string>());

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"at kill: {atKill}; victim owned {victimPartitions} of 4 partitions; partitions all on the survivor {takeover.TotalSeconds:F1} s after the kill (lease {LeaseSeconds} s); all {Changes} changes completed {allDone.TotalSeconds:F1} s after the kill"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timeline: hosts healthy {started.TotalSeconds:F1} s, partitions shared {shared.TotalSeconds:F1} s, kill {killedAt.TotalSeconds:F1} s, checks done {checkedAt.TotalSeconds:F1} s, test {total.Elapsed.TotalSeconds:F1} s"));
    }

    // Both workers sign evidence with one key (LocalHostProcess's shared key file, as every test host and as two instances
    // of the Functions app do): a change's chain may mix their records.
    static LocalHostProcess Worker(Azurite azurite)
    {
        var host = new LocalHostProcess(azurite.ConnectionString, TaskHub);
        host.ExtraArgs.AddRange(
        [
            $"--Upm:Sandbox:LatencyMs={SandboxLatencyMs}",
            $"--Upm:Local:PartitionLeaseSeconds={LeaseSeconds}",
            $"--Upm:Local:MessageVisibilitySeconds={VisibilitySeconds}",
            "--Upm:Local:DriftSweepMinutes=0",
            "--Logging:LogLevel:DurableTask.AzureStorage=Warning",
            "--Logging:LogLevel:DurableTask.Core=Warning",
        ]);
        return host;
    }

    // Three resources the auto-approval lane takes (risk 15: no human decision), in two waves; drift off (no monitors left running).
    static JsonObject Change(string name) => new()
    {
        ["request"] = $"Two-worker change {name}: a namespace and two config maps",
        ["tenant"] = Tenant,
        ["target"] = new JsonObject
        {
            ["provider"] = "sandbox",
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{name}" },
                new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cm-{name}", ["namespace"] = $"ns-{name}" },
                new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cm2-{name}", ["namespace"] = $"ns-{name}" }),
        },
        ["drift"] = new JsonObject { ["mode"] = "off" },
    };

    static (string Type, string Name)[] Resources(string name) =>
        [("k8s_namespace", $"ns-{name}"), ("k8s_configmap", $"cm-{name}"), ("k8s_configmap", $"cm2-{name}")];

    // Partition → the PID of the worker that owns it (worker ids are "{machine}-{pid}-{guid}").
    static async Task<Dictionary<string, int>> OwnersAsync(StorageClients clients)
    {
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (TableEntity row in clients.Tables.GetTableClient($"{TaskHub}Partitions").QueryAsync<TableEntity>())
        {
            string[] parts = (row.GetString("CurrentOwner") ?? string.Empty).Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out int pid))
            {
                owners[row.RowKey] = pid;
            }
        }

        return owners;
    }

    static async Task<Snapshot> SnapshotAsync(StorageClients clients, string[] ids)
    {
        var statuses = new List<string>();
        await foreach (TableEntity row in clients.ChangeTable.QueryAsync<TableEntity>(e => e.PartitionKey == Tenant, select: ["RowKey", "Status"]))
        {
            if (ids.Contains(row.RowKey))
            {
                statuses.Add(row.GetString("Status") ?? string.Empty);
            }
        }

        int applied = 0;
        await foreach (TableEntity _ in clients.SandboxTable.QueryAsync<TableEntity>(e => e.PartitionKey == Tenant, select: ["RowKey"]))
        {
            applied++;
        }

        int unfinished = ids.Length - statuses.Count(ChangeStatuses.IsFinal);
        return new Snapshot(unfinished, statuses.Count(s => s == ChangeStatuses.AwaitingApproval), applied, string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}")));
    }

    async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        T value = await read();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {Deadline.TotalSeconds:F0} s (last: {value})");
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }

    sealed record Snapshot(int Unfinished, int AwaitingApproval, int Applied, string Statuses)
    {
        public override string ToString() => $"{Unfinished} unfinished ({Statuses}), {Applied} resources applied";
    }
}
