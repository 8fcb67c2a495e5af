using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using UpmDurable.Bench;
using UpmDurable.Testing;

// Load: N concurrent changes (default 200) of 10 sandbox resources each, auto-approved (approvals.required 0, drift off), on
// the local host over Azurite with the sandbox latency the local host ships with (50 ms per call). For each Azure Storage
// backend configuration (fresh Azurite and host each): throughput, end-to-end latency (submit → the record's final
// update), errors, and the host's memory. Usage:
//   dotnet run -c Release --project bench/UpmDurable.Bench.Load [-- changes [config ...]]     configs: see below; default: before shipped
int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
string[] selected = args.Length > 1 ? args[1..] : ["before", "shipped"];

// "before" pins the settings the local host had before tuning, so it stays reproducible; "shipped" is whatever it has now.
var configs = new Dictionary<string, string[]>(StringComparer.Ordinal)
{
    ["before"] = ["--Upm:Local:PartitionCount=4", "--Upm:Local:MaxQueuePollingIntervalMs=500", "--Upm:Local:ExtendedSessions=false", "--Upm:Local:MaxConcurrentActivities=10", "--Upm:Local:MaxConcurrentOrchestrations=100"],
    ["shipped"] = [],
    ["activities-50"] = ["--Upm:Local:MaxConcurrentActivities=50"],
    ["activities-100"] = ["--Upm:Local:MaxConcurrentActivities=100"],
    ["partitions-8"] = ["--Upm:Local:PartitionCount=8"],
    ["partitions-1"] = ["--Upm:Local:PartitionCount=1"],
    ["polling-100ms"] = ["--Upm:Local:MaxQueuePollingIntervalMs=100"],
    ["extended-sessions"] = ["--Upm:Local:ExtendedSessions=true"],
    ["orchestrations-20"] = ["--Upm:Local:MaxConcurrentOrchestrations=20"],
};

var rows = new List<string>();
foreach (string name in selected)
{
    string[] hostArgs = configs.TryGetValue(name, out string[]? known) ? known : name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    Console.WriteLine($"{name}: {count} changes …");
    rows.Add(await RunAsync(name, hostArgs));
}

Console.WriteLine();
Console.WriteLine($"Load: {count} concurrent changes × 10 sandbox resources (3 waves, auto-approved, sandbox latency 50 ms), local host over Azurite, {Environment.ProcessorCount} cores:");
Console.WriteLine("| configuration | changes/min | P50 s | P95 s | max s | errors | host peak RSS MiB |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
return 0;

async Task<string> RunAsync(string name, string[] hostArgs)
{
    await using Azurite azurite = await Azurite.StartAsync();
    await using var host = new LocalHostProcess(azurite.ConnectionString, "benchload");
    host.ExtraArgs.AddRange(
    [
        "--Upm:Sandbox:LatencyMs=50",
        "--Upm:Policies:Folder=" + BenchPolicies.Folder(50),
        "--Upm:Local:DriftSweepMinutes=0",
        "--Logging:LogLevel:DurableTask.AzureStorage=Warning",
        "--Logging:LogLevel:DurableTask.Core=Warning",
        .. hostArgs,
    ]);
    await host.StartAsync();
    using var http = new HttpClient { BaseAddress = host.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    var api = new ChangeClient(http);

    // Warm-up: one change, so start-up (JIT, tables, queues) is not counted.
    string warm = await api.SubmitAsync(Change("warm"));
    await api.WaitFinalAsync(warm, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200));

    double peakSampled = 0;
    using var sampling = new CancellationTokenSource();
    Task sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakSampled = Math.Max(peakSampled, Figures.Memory(host.Pid).Rss);
            await Task.Delay(250, CancellationToken.None);
        }
    });

    var errors = new List<string>();
    DateTimeOffset started = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    (string? Id, DateTimeOffset SentAt)[] submitted = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        DateTimeOffset sent = DateTimeOffset.UtcNow;
        try
        {
            return ((string?)await api.SubmitAsync(Change(string.Create(CultureInfo.InvariantCulture, $"c{i:D4}"))), sent);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            lock (errors)
            {
                errors.Add($"submit {i}: {ex.Message}");
            }

            return (null, sent);
        }
    }));

    // Each change is polled once a second (staggered), so polling adds little load; latency comes from the record's own clock.
    var latencies = new List<double>();
    DateTimeOffset lastEnd = started;
    await Parallel.ForEachAsync(submitted.Where(s => s.Id is not null), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (s, _) =>
    {
        try
        {
            JsonNode record = await api.WaitFinalAsync(s.Id!, TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(1));
            DateTimeOffset end = record["updated_at"]!.GetValue<DateTimeOffset>();
            lock (latencies)
            {
                if (record["status"]!.GetValue<string>() != "completed")
                {
                    errors.Add($"{s.Id}: {record["status"]} {record["reason"]}");
                }

                latencies.Add((end - s.SentAt).TotalSeconds);
                lastEnd = end > lastEnd ? end : lastEnd;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or TaskCanceledException)
        {
            lock (errors)
            {
                errors.Add($"{s.Id}: {ex.Message}");
            }
        }
    });

    await sampling.CancelAsync();
    await sampler;
    (double _, double peak) = Figures.Memory(host.Pid);
    foreach (string error in errors.Take(5))
    {
        Console.WriteLine("  error: " + error);
    }

    latencies.Sort();
    double minutes = (lastEnd - started).TotalMinutes;
    return string.Create(CultureInfo.InvariantCulture,
        $"| {name}{(hostArgs.Length == 0 ? string.Empty : " (" + string.Join(' ', hostArgs.Select(a => a.Replace("--Upm:Local:", string.Empty, StringComparison.Ordinal))) + ")")} | {latencies.Count / minutes:F0} | {Figures.Percentile(latencies, 0.50):F1} | {Figures.Percentile(latencies, 0.95):F1} | {(latencies.Count == 0 ? double.NaN : latencies[^1]):F1} | {errors.Count} | {Math.Max(peak, peakSampled):F0} |");
}

// A resource group, 3 storage accounts in it, 2 namespaces after the group, 4 configmaps in them: 3 waves, risk below 60.
static JsonObject Change(string n)
{
    var resources = new List<JsonObject> { new() { ["type"] = "az_resource_group", ["name"] = $"rg-{n}", ["location"] = "eastus" } };
    for (int i = 0; i < 3; i++)
    {
        resources.Add(new JsonObject { ["type"] = "az_storage_account", ["name"] = $"st{n}{i}", ["resource_group"] = $"rg-{n}" });
    }

    for (int i = 0; i < 2; i++)
    {
        resources.Add(new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{n}-{i}", ["depends_on"] = new JsonArray($"rg-{n}") });
    }

    for (int i = 0; i < 4; i++)
    {
        resources.Add(new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cm-{n}-{i}", ["namespace"] = $"ns-{n}-{i % 2}" });
    }

    return ChangeClient.AutoApproved($"bench load {n}", resources, maxParallel: 10);
}
