using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using UpmDurable.Bench;
using UpmDurable.Bench.Host;
using UpmDurable.Testing;

// One change of N sandbox resources in 4 waves (default 1,000 = 4 × 250, rollout.max_parallel 100) on the local host over
// Azurite, submit → completed with a per-phase breakdown, against the engine's floor: the same waves and batches of no-op
// activities (FanOutFloorOrchestrator) on the same backend in the same run. Then where the change's time goes (history).
// The host is bench/UpmDurable.Bench.Host: the product's local host plus the floor, which the product does not ship.
// Usage: dotnet run -c Release --project bench/UpmDurable.Bench.Execution [-- perWave [maxParallel [repeats [--Upm:...=value ...]]]]
int perWave = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 250;
int maxParallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
const int Waves = 4;
const string Hub = "benchexec";

// The default policy pack caps a change at 50 resources (blast-radius-budget): the bench runs the same pack with 1,000.
// The auto-approval lane admits at most 50 steps: the 1,000-resource change is approved by the demo approvers via the API.
string policies = BenchPolicies.Folder(50, text => text.Replace("plan.step_count > 50", "plan.step_count > 1000", StringComparison.Ordinal));

await using Azurite azurite = await Azurite.StartAsync();
await using var host = new LocalHostProcess(azurite.ConnectionString, Hub) { HostDll = RepoPaths.BenchHostDll };
host.ExtraArgs.AddRange(
[
    "--Upm:Sandbox:LatencyMs=0", // our own time and the engine's: no simulated cloud latency
    "--Upm:Policies:Folder=" + policies,
    "--Upm:Local:DriftSweepMinutes=0",
    "--Logging:LogLevel:DurableTask.AzureStorage=Warning",
    "--Logging:LogLevel:DurableTask.Core=Warning",
    .. args.Skip(3),
]);
await host.StartAsync();
var api = new ChangeClient(host.Http);
DurableTaskClient durable = Figures.DurableClient(host);

Console.WriteLine($"Warm-up (JIT, tables, queues): a 4-wave change of 8 resources and a floor of 4 × 10 …");
await RunChangeAsync("w", 2);
await RunFloorAsync(10);

var floors = new List<double>();
var changes = new List<(double Wall, double Engine, JsonNode Record, string Id)>();
for (int r = 0; r < repeats; r++)
{
    floors.Add(await RunFloorAsync(perWave));
    changes.Add(await RunChangeAsync($"r{r}", perWave));
}

Console.WriteLine();
Console.WriteLine($"Execution: {Waves * perWave} sandbox resources in {Waves} waves (max_parallel {maxParallel}, sandbox latency 0 ms), local host over Azurite, {Environment.ProcessorCount} cores:");
Console.WriteLine("| run | floor: same fan-out of no-op activities (s) | change submit → completed (s) | orchestration start → end (s) | change / floor |");
Console.WriteLine("|---|---:|---:|---:|---:|");
for (int r = 0; r < repeats; r++)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r + 1} | {floors[r] / 1000:F1} | {changes[r].Wall / 1000:F1} | {changes[r].Engine / 1000:F1} | {changes[r].Wall / floors[r]:F2}× |"));
}

// Other work on a shared machine moves both figures; each floor is measured right before its change, and the medians are compared.
double medianFloor = Median(floors), medianChange = Median(changes.Select(c => c.Wall).ToList());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| median | {medianFloor / 1000:F1} | {medianChange / 1000:F1} | | {medianChange / medianFloor:F2}× |"));

(double _, double _, JsonNode last, string lastId) = changes[^1];
Console.WriteLine();
Console.WriteLine("Per phase (orchestration clock, last run):");
Console.WriteLine("| phase | s |");
Console.WriteLine("|---|---:|");
var starts = last["phase_started_at"]!.AsObject().Select(p => (Phase: p.Key, At: p.Value!.GetValue<DateTimeOffset>())).OrderBy(p => p.At).ToList();
DateTimeOffset end = last["updated_at"]!.GetValue<DateTimeOffset>();
for (int i = 0; i < starts.Count; i++)
{
    DateTimeOffset until = i + 1 < starts.Count ? starts[i + 1].At : end;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {starts[i].Phase} | {(until - starts[i].At).TotalSeconds:F1} |"));
}

HistorySize history = await Figures.HistoryAsync(azurite.ConnectionString, Hub, lastId);
(int _, long recordBytes) = await Figures.BlobsAsync(azurite.ConnectionString, "upm-records", $"acme/{lastId}");
(int evidenceCount, long evidenceBytes) = await Figures.BlobsAsync(azurite.ConnectionString, "upm-evidence", $"acme/{lastId}/");
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Where the time goes (last run): history {history.Rows} rows ({history.Episodes} episodes), {Figures.Mb(history.InlineBytes)} MiB inline + {Figures.Mb(history.OffloadedBytes)} MiB offloaded (gzip) blobs; record blob {recordBytes / 1024.0:F0} KiB; evidence {evidenceCount} records, {Figures.Mb(evidenceBytes)} MiB."));
Console.WriteLine("Record parts (KiB): " + string.Join(", ", last.AsObject().Select(p => (p.Key, Size: p.Value?.ToJsonString().Length ?? 0)).Where(p => p.Size > 1024).OrderByDescending(p => p.Size).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Size / 1024.0:F0}"))));
Console.WriteLine("| activity | count | Σ scheduled → completed (s) | mean (ms) | inline history (KiB) |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (ActivityTimes a in history.Activities)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {a.Name} | {a.Count} | {a.TotalMs / 1000:F1} | {a.TotalMs / a.Count:F0} | {a.InlineBytes / 1024.0:F0} |"));
}

(double rss, double peak) = Figures.Memory(host.Pid);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Host memory: RSS {rss:F0} MiB, peak {peak:F0} MiB."));
Directory.Delete(policies, recursive: true);
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

async Task<double> RunFloorAsync(int activitiesPerWave)
{
    var clock = Stopwatch.StartNew();
    string id = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutFloorOrchestrator), new FanOutFloorInput(Waves, activitiesPerWave, maxParallel));
    OrchestrationMetadata done = await WaitAsync(id);
    if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
    {
        throw new InvalidOperationException($"floor {id}: {done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
    }

    return clock.Elapsed.TotalMilliseconds;
}

async Task<(double Wall, double Engine, JsonNode Record, string Id)> RunChangeAsync(string run, int count)
{
    JsonObject change = ChangeClient.AutoApproved($"bench execution {run}", Resources(run, count), maxParallel);
    var clock = Stopwatch.StartNew();
    string id = await api.SubmitAsync(change);
    await api.ApproveWhenAskedAsync(id, TimeSpan.FromMinutes(5));
    JsonNode record = await api.WaitFinalAsync(id, TimeSpan.FromMinutes(30), TimeSpan.FromMilliseconds(100));
    double wall = clock.Elapsed.TotalMilliseconds;
    if (record["status"]!.GetValue<string>() != "completed")
    {
        throw new InvalidOperationException($"change {id}: {record["status"]} {record["reason"]}");
    }

    OrchestrationMetadata meta = await WaitAsync(id);
    int steps = record["execution"]!["steps"]!.AsArray().Count;
    if (steps != Waves * count || record["plan"]!["waves"]!.AsArray().Count != Waves)
    {
        throw new InvalidOperationException($"change {id}: {steps} steps in {record["plan"]!["waves"]!.AsArray().Count} waves");
    }

    return (wall, (meta.LastUpdatedAt - meta.CreatedAt).TotalMilliseconds, record, id);
}

async Task<OrchestrationMetadata> WaitAsync(string id)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
    while (true)
    {
        OrchestrationMetadata? meta = await durable.GetInstanceAsync(id, getInputsAndOutputs: false, timeout.Token);
        if (meta is { IsRunning: false, RuntimeStatus: not OrchestrationRuntimeStatus.Pending })
        {
            return meta;
        }

        await Task.Delay(100, timeout.Token);
    }
}

// Wave 1 resource groups, wave 2 storage accounts in them, wave 3 namespaces after each account, wave 4 a configmap in each
// namespace. Four kinds keep the risk score below the two-person threshold, so the change runs without approvals.
static IEnumerable<JsonObject> Resources(string run, int count)
{
    for (int i = 0; i < count; i++)
    {
        string n = string.Create(CultureInfo.InvariantCulture, $"{run}{i:D4}");
        yield return new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{n}", ["location"] = "eastus" };
        yield return new JsonObject { ["type"] = "az_storage_account", ["name"] = $"st{n}", ["resource_group"] = $"rg-{n}" };
        yield return new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{n}", ["depends_on"] = new JsonArray($"st{n}") };
        yield return new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cm-{n}", ["namespace"] = $"ns-{n}" };
    }
}
