using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using UpmDurable.Testing;

namespace UpmDurable.Bench;

/// <summary>The local host's HTTP API as the benchmarks use it: submit a change, read it, wait for a final status.</summary>
public sealed class ChangeClient(HttpClient http, string apiKey = "demo-submitter-key")
{
    /// <summary>Statuses a change does not leave.</summary>
    public static readonly HashSet<string> Final = new(StringComparer.Ordinal)
    {
        "completed", "failed", "rolled_back", "rollback_failed", "rejected", "expired", "aborted", "preflight_failed",
    };

    public async Task<string> SubmitAsync(JsonObject change)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Post, "/api/changes", apiKey, change.ToJsonString());
        using HttpResponseMessage response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/changes: {(int)response.StatusCode} {Clip(text)}");
        }

        return JsonNode.Parse(text)!["change_id"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(string id)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}", apiKey);
        using HttpResponseMessage response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/changes/{id}: {(int)response.StatusCode} {Clip(text)}");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// When policy asks humans to approve (the auto-approval lane admits at most 50 steps), approves as the demo approvers
    /// as soon as the change awaits approval, one approver at a time until the approvals are met; returns at once otherwise.
    /// </summary>
    public async Task ApproveWhenAskedAsync(string id, TimeSpan timeout)
    {
        string[] approvers = ["demo-approver-key", "demo-approver2-key"];
        int next = 0;
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            JsonNode record = await GetAsync(id);
            string status = record["status"]!.GetValue<string>();
            string outcome = record["approvals"]?["outcome"]?.GetValue<string>() ?? "pending";
            if (Final.Contains(status) || outcome != "pending" || next == approvers.Length)
            {
                return;
            }

            if (status == "awaiting_approval" && record["approvals"]!["decisions"]!.AsArray().Count == next)
            {
                var decision = new JsonObject { ["decision"] = "approve", ["plan_hash"] = record["approvals"]!["plan_hash"]!.GetValue<string>() };
                using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Post, $"/api/changes/{id}/approvals", approvers[next++], decision.ToJsonString());
                using HttpResponseMessage response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /api/changes/{id}/approvals: {(int)response.StatusCode} {Clip(await response.Content.ReadAsStringAsync())}");
                }
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls until the change reaches a final status; returns the record.</summary>
    public async Task<JsonNode> WaitFinalAsync(string id, TimeSpan timeout, TimeSpan poll)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonNode record = await GetAsync(id);
            if (Final.Contains(record["status"]!.GetValue<string>()))
            {
                return record;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{id} still {record["status"]} after {timeout}");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>A sandbox change that starts no drift monitor; it runs without a human decision through the bench's
    /// auto-approval lane (<see cref="BenchPolicies"/>), as an operator's policy would allow.</summary>
    public static JsonObject AutoApproved(string request, IEnumerable<JsonObject> resources, int maxParallel) => new()
    {
        ["request"] = request,
        ["tenant"] = "acme",
        ["target"] = new JsonObject { ["provider"] = "sandbox", ["resources"] = new JsonArray([.. resources]) },
        ["rollout"] = new JsonObject { ["max_parallel"] = maxParallel },
        ["drift"] = new JsonObject { ["mode"] = "off" },
    };

    static string Clip(string text) => text.Length <= 500 ? text : text[..500] + "…";
}

/// <summary>Figures helpers: percentiles, process memory, the host's Durable Task client, task-hub sizes.</summary>
public static class Figures
{
    /// <summary>Nearest-rank percentile of a sorted list.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Resident set size now and its peak (VmRSS, VmHWM from /proc), in MiB.</summary>
    public static (double Rss, double Peak) Memory(int pid)
    {
        double rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kb(line) / 1024.0;
            }
        }

        return (rss, peak);

        static double Kb(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A Durable Task client over the local host's private gRPC socket (as operators' tooling would connect).</summary>
    public static DurableTaskClient DurableClient(LocalHostProcess host) => HostDurableClient.For(host, "bench");

    /// <summary>
    /// An orchestration's history: rows, bytes of inline payloads, bytes offloaded to the large-message container, and per
    /// activity name the count and the time from scheduling (the orchestrator's episode) to completion.
    /// </summary>
    public static async Task<HistorySize> HistoryAsync(string connectionString, string taskHub, string instanceId)
    {
        var table = new TableClient(connectionString, taskHub + "History");
        var blobs = new BlobContainerClient(connectionString, taskHub + "-largemessages");
        int rows = 0, episodes = 0;
        long inline = 0, offloaded = 0;
        var scheduled = new Dictionary<int, (string Name, DateTime At, long Bytes)>();
        var activities = new Dictionary<string, ActivityTimes>(StringComparer.Ordinal);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
        {
            rows++;
            long bytes = 0;
            foreach ((string key, object value) in row)
            {
                if (value is string text && key is not ("PartitionKey" or "RowKey" or "odata.etag"))
                {
                    bytes += text.Length;
                }
            }

            inline += bytes;
            string? type = row.GetString("EventType");
            episodes += type == "OrchestratorStarted" ? 1 : 0;
            DateTime at = row.GetDateTime("_Timestamp") ?? row.GetDateTimeOffset("Timestamp")?.UtcDateTime ?? default;
            if (type == "TaskScheduled" && row.GetInt32("EventId") is int id)
            {
                scheduled[id] = (row.GetString("Name") ?? "?", at, bytes);
            }
            else if (type is "TaskCompleted" or "TaskFailed" && row.GetInt32("TaskScheduledId") is int sid && scheduled.TryGetValue(sid, out var start))
            {
                ActivityTimes times = activities.GetValueOrDefault(start.Name) ?? new ActivityTimes(start.Name, 0, 0, 0);
                activities[start.Name] = times with
                {
                    Count = times.Count + 1,
                    TotalMs = times.TotalMs + (at - start.At).TotalMilliseconds,
                    InlineBytes = times.InlineBytes + start.Bytes + bytes,
                };
            }
        }

        if (await blobs.ExistsAsync())
        {
            await foreach (BlobItem blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, instanceId.ToLowerInvariant(), CancellationToken.None))
            {
                offloaded += blob.Properties.ContentLength ?? 0;
            }
        }

        return new HistorySize(rows, episodes, inline, offloaded, activities.Values.OrderByDescending(a => a.TotalMs).ToList());
    }

    /// <summary>Bytes of the blobs under a prefix of a container (the change record, its evidence chain).</summary>
    public static async Task<(int Count, long Bytes)> BlobsAsync(string connectionString, string container, string prefix)
    {
        var client = new BlobContainerClient(connectionString, container);
        int count = 0;
        long bytes = 0;
        await foreach (BlobItem blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            count++;
            bytes += blob.Properties.ContentLength ?? 0;
        }

        return (count, bytes);
    }

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>What an orchestration's history holds.</summary>
public sealed record HistorySize(int Rows, int Episodes, long InlineBytes, long OffloadedBytes, List<ActivityTimes> Activities);

/// <summary>One activity name in a history: how many ran, their summed schedule→completion time, their inline payload bytes.</summary>
public sealed record ActivityTimes(string Name, int Count, double TotalMs, long InlineBytes);

/// <summary>The policy folder the benchmarks run with: the shipped packs, plus a lane that admits the bench's sandbox changes.</summary>
public static class BenchPolicies
{
    /// <summary>
    /// Copies the shipped packs into a temp folder (with <paramref name="edit"/> applied to each) and adds an
    /// auto-approval lane for tenant acme's sandbox kinds up to <paramref name="maxSteps"/> steps: the benches measure
    /// execution, not a human's approval.
    /// </summary>
    public static string Folder(int maxSteps, Func<string, string>? edit = null)
    {
        string folder = Directory.CreateTempSubdirectory("upm-bench-policies-").FullName;
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml"))
        {
            string text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(file)), edit is null ? text : edit(text));
        }

        File.WriteAllText(Path.Combine(folder, "bench-lane.yaml"), $"""
            name: bench-lane
            description: The benchmarks' sandbox changes run without a human decision.
            tenants: [acme]
            auto_approval:
              id: bench-lane
              max_risk: 60
              max_steps: {maxSteps}
              kinds: [az_resource_group, az_aks, az_storage_account, az_vnet, az_subnet, az_key_vault, k8s_namespace, k8s_configmap, k8s_deployment, k8s_service]
            """);
        return folder;
    }
}
