using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Testing.Chaos;

/// <summary>Settings of a chaos run. The defaults are the product's own (lease, visibility); tests shorten them.</summary>
public sealed class ChaosOptions
{
    public int Trials { get; set; } = 20;

    public int Seed { get; set; } = 1;

    /// <summary>Explicit trials (overrides <see cref="Trials"/> and <see cref="Seed"/>).</summary>
    public IReadOnlyList<ChaosTrial>? Plan { get; set; }

    /// <summary>Sandbox latency per call: widens the windows the host is killed in.</summary>
    public int SandboxLatencyMs { get; set; } = 1500;

    /// <summary><c>Upm:Local:PartitionLeaseSeconds</c> of the host (product default 15).</summary>
    public int PartitionLeaseSeconds { get; set; } = 15;

    /// <summary><c>Upm:Local:MessageVisibilitySeconds</c> of the host (product default 30).</summary>
    public int MessageVisibilitySeconds { get; set; } = 30;

    /// <summary>How long a trial may take from submit to a final status.</summary>
    public TimeSpan TrialTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Progress lines (one per trial and phase).</summary>
    public Action<string> Log { get; set; } = _ => { };
}

/// <summary>
/// Crash-anywhere trials: each submits a multi-wave change that needs approval, kills the local host with SIGKILL at a
/// chosen point, restarts it, lets the change finish and checks that nothing acknowledged was lost or done twice.
/// </summary>
public sealed class ChaosRun(ChaosOptions options)
{
    const string Tenant = "acme";
    const string TaskHub = "chaoshub";

    Azurite azurite = null!;
    StorageClients clients = null!;
    LocalHostProcess host = null!;

    /// <summary>Runs every trial on one Azurite; the host restarted by a trial serves the next one.</summary>
    public async Task<IReadOnlyList<ChaosTrialResult>> RunAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChaosTrial> plan = options.Plan ?? ChaosTrial.Plan(options.Trials, options.Seed);
        var results = new List<ChaosTrialResult>();
        await using (azurite = await Azurite.StartAsync())
        {
            clients = azurite.Clients();
            await clients.EnsureCreatedAsync(cancellationToken);
            host = NewHost();
            try
            {
                await host.StartAsync();
                foreach (ChaosTrial trial in plan)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ChaosTrialResult result;
                    try
                    {
                        result = await RunTrialAsync(trial, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A trial that breaks the runner is a failed trial; the next one starts on a fresh host.
                        result = new ChaosTrialResult(trial, "-", "error", false, "-", TimeSpan.Zero, null, TimeSpan.Zero, [$"trial threw {ex}\nHost log tail:\n{Tail(host.Log)}"]);
                        await host.DisposeAsync();
                        host = NewHost();
                        await host.StartAsync();
                    }

                    results.Add(result);
                    options.Log($"trial {trial.Number}: {Row(result)}");
                    foreach (string failure in result.Failures)
                    {
                        options.Log($"  FAILED: {failure}");
                    }
                }
            }
            finally
            {
                await host.DisposeAsync();
            }
        }

        return results;
    }

    /// <summary>The results as a fixed-width table.</summary>
    public static string Table(IEnumerable<ChaosTrialResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"trial",5}  {"kill point",-17} {"fault",-6} {"landed",-6}  {"at kill",-52} {"restart",8} {"recovery",9} {"total",7}  {"outcome",-12} checks");
        foreach (ChaosTrialResult r in results)
        {
            text.AppendLine(Row(r));
        }

        var recoveries = results.Where(r => r.Recovery is not null).Select(r => r.Recovery!.Value.TotalSeconds).Order().ToList();
        if (recoveries.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"recovery (kill → next evidence record after restart): min {recoveries[0]:F1} s, median {recoveries[recoveries.Count / 2]:F1} s, max {recoveries[^1]:F1} s over {recoveries.Count} trials");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{results.Count(r => r.Passed)} of {results.Count()} trials passed every check; {results.Count(r => r.Landed)} kills landed in their window");
        return text.ToString();
    }

    static string Row(ChaosTrialResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Trial.Number,5}  {Snake(r.Trial.Point),-17} {r.Trial.Fault.ToString().ToLowerInvariant(),-6} {(r.Landed ? "yes" : "no"),-6}  {Clip(r.AtKill, 52),-52} {r.HostStart.TotalSeconds,7:F1}s {(r.Recovery is { } rec ? rec.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + "s" : "-"),9} {r.Total.TotalSeconds,6:F0}s  {r.FinalStatus,-12} {(r.Passed ? "ok" : $"{r.Failures.Count} FAILED")}");

    static string Snake(KillPoint point) => point switch
    {
        KillPoint.AwaitingApproval => "awaiting_approval",
        KillPoint.MidWave => "mid_wave",
        KillPoint.MidRollback => "mid_rollback",
        KillPoint.EvidenceWrite => "evidence_write",
        _ => point.ToString().ToLowerInvariant(),
    };

    static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    LocalHostProcess NewHost()
    {
        var next = new LocalHostProcess(azurite.ConnectionString, TaskHub);
        next.ExtraArgs.AddRange(
        [
            $"--Upm:Sandbox:LatencyMs={options.SandboxLatencyMs}",
            $"--Upm:Local:PartitionLeaseSeconds={options.PartitionLeaseSeconds}",
            $"--Upm:Local:MessageVisibilitySeconds={options.MessageVisibilitySeconds}",
            "--Upm:Local:DriftSweepMinutes=0",
        ]);
        return next;
    }

    async Task<ChaosTrialResult> RunTrialAsync(ChaosTrial trial, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var api = new ChaosApi(() => host);
        string suffix = $"c{options.Seed % 1000:D3}{trial.Number:D3}{new Random(options.Seed * 1000 + trial.Number).Next(0x100000):x5}";
        var change = new TrialChange(suffix, trial.Fault);
        var failures = new List<string>();

        var (submitted, body) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChaosApi.Submitter, change.Request().ToJsonString());
        if (submitted != System.Net.HttpStatusCode.Accepted)
        {
            return new ChaosTrialResult(trial, "-", "not submitted", false, $"submit answered {(int)submitted}", TimeSpan.Zero, null, total.Elapsed, [$"submit answered {(int)submitted}: {body}"]);
        }

        string id = body!["change_id"]!.GetValue<string>();
        var approvals = new ApprovalDriver(api, id, body["plan_hash"]!.GetValue<string>());
        await using var monitor = new ApplyCountMonitor(clients, change.Resources);

        bool reached = await WaitForKillPointAsync(trial, api, approvals, change, id, total, cancellationToken);
        await KillHostAsync();
        var killedAt = Stopwatch.StartNew();
        Snapshot atKill = await SnapshotAsync(id, change);
        bool landed = reached && Landed(trial, atKill);
        options.Log($"trial {trial.Number}: killed host at {Snake(trial.Point)} ({atKill.Describe()}), restarting");

        var restart = Stopwatch.StartNew();
        host = NewHost();
        await host.StartAsync();
        TimeSpan hostStart = restart.Elapsed;

        // Drive the change to its end: approve when asked, note when the evidence chain first moves again.
        TimeSpan? recovery = null;
        JsonNode? record = null;
        var deadline = DateTime.UtcNow + options.TrialTimeout;
        while (DateTime.UtcNow < deadline)
        {
            record = await api.TryGetAsync(id);
            if (recovery is null && await EvidenceCountAsync(id, cancellationToken) > atKill.EvidenceBlobs)
            {
                recovery = killedAt.Elapsed;
            }

            if (record is not null)
            {
                if (IsFinal(record))
                {
                    break;
                }

                await approvals.ApproveIfWaitingAsync(record);
            }

            await Task.Delay(100, cancellationToken);
        }

        string finalStatus = record?["status"]?.GetValue<string>() ?? "unknown";
        if (record is null || !IsFinal(record))
        {
            failures.Add($"no final status within {options.TrialTimeout.TotalSeconds:F0} s (status {finalStatus}). Host log tail:\n{Tail(host.Log)}");
        }
        else
        {
            await monitor.StopAsync();
            failures.AddRange(approvals.Problems);
            failures.AddRange(await CheckAsync(trial, api, change, id, record, monitor));
        }

        return new ChaosTrialResult(trial, id, finalStatus, landed, atKill.Describe(), hostStart, recovery, total.Elapsed, failures);
    }

    // Polls until the trial's kill point; false when the change finished (or the deadline passed) before it was reached.
    async Task<bool> WaitForKillPointAsync(ChaosTrial trial, ChaosApi api, ApprovalDriver approvals, TrialChange change, string id, Stopwatch total, CancellationToken cancellationToken)
    {
        if (trial.Point == KillPoint.Planning)
        {
            return true;
        }

        int? evidenceTarget = null;
        while (total.Elapsed < options.TrialTimeout)
        {
            if (trial.Point == KillPoint.EvidenceWrite && evidenceTarget is { } target)
            {
                // Tight loop on the blob listing only: the kill must follow the new blob within milliseconds.
                if (await EvidenceCountAsync(id, cancellationToken) >= target)
                {
                    return true;
                }

                continue;
            }

            JsonNode? record = await api.TryGetAsync(id);
            if (record is null)
            {
                await Task.Delay(50, cancellationToken);
                continue;
            }

            string status = record["status"]!.GetValue<string>();
            if (IsFinal(record))
            {
                return false;
            }

            if (trial.Point == KillPoint.AwaitingApproval && status == "awaiting_approval")
            {
                return true;
            }

            await approvals.ApproveIfWaitingAsync(record);
            int steps = record["execution"]?["steps"]?.AsArray().Count ?? 0;
            bool approved = record["approvals"]?["outcome"]?.GetValue<string>() == "approved";
            switch (trial.Point)
            {
                case KillPoint.MidWave when await change.AnyAppliedAsync(clients, change.Wave2):
                    return true;
                case KillPoint.Verify when steps == change.Resources.Count && record["verification"] is null:
                    return true;
                case KillPoint.MidRollback when status == "rolling_back" && await change.AnyMissingAsync(clients, change.Wave2):
                    return true;
                case KillPoint.EvidenceWrite when approved:
                    // Approved: from here, the (SkipRecords + 1)-th new record is the one to die on.
                    evidenceTarget = await EvidenceCountAsync(id, cancellationToken) + trial.SkipRecords + 1;
                    break;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    static bool Landed(ChaosTrial trial, Snapshot at) => trial.Point switch
    {
        KillPoint.Planning => at.EvidenceBlobs < 2,
        KillPoint.AwaitingApproval => at.IndexStatus == "awaiting_approval",
        KillPoint.MidWave => at.IndexSteps < at.TotalSteps && at.IndexStatus == "running",
        KillPoint.Verify => at.IndexSteps == at.TotalSteps && at.IndexStatus == "running",
        KillPoint.MidRollback => at.IndexStatus == "rolling_back",
        KillPoint.EvidenceWrite => at.IndexStatus is not null && !IsFinalStatus(at.IndexStatus),
        _ => false,
    };

    async Task KillHostAsync()
    {
        // SIGKILL by PID, as a crash would: no graceful shutdown, nothing flushed.
        try
        {
            Process.GetProcessById(host.Pid).Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        await host.DisposeAsync();
    }

    async Task<Snapshot> SnapshotAsync(string id, TrialChange change)
    {
        var row = await clients.ChangeTable.GetEntityIfExistsAsync<TableEntity>(Tenant, id);
        string? status = row.HasValue ? row.Value!.GetString("Status") : null;
        int? records = row.HasValue ? row.Value!.GetInt32("EvidenceRecords") : null;
        var stored = await new ChangeStore(clients).GetAsync(Tenant, id);
        return new Snapshot(
            await EvidenceCountAsync(id),
            records ?? 0,
            status,
            stored?.Execution.Steps.Count ?? 0,
            change.Resources.Count,
            await change.PresentAsync(clients));
    }

    async Task<int> EvidenceCountAsync(string id, CancellationToken cancellationToken = default)
    {
        int count = 0;
        await foreach (BlobItem _ in clients.EvidenceContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{Tenant}/{id}/", cancellationToken))
        {
            count++;
        }

        return count;
    }

    // Every invariant of a finished trial; each one that does not hold is one line.
    async Task<List<string>> CheckAsync(ChaosTrial trial, ChaosApi api, TrialChange change, string id, JsonNode record, ApplyCountMonitor monitor)
    {
        var failures = new List<string>();
        string status = record["status"]!.GetValue<string>();
        if (status != trial.ExpectedStatus)
        {
            failures.Add($"final status {status} ({record["reason"]}), expected {trial.ExpectedStatus}");
        }

        // Each step ran (as far as the orchestration knows) once, and changed the sandbox once per idempotency key.
        var steps = record["execution"]!["steps"]!.AsArray().Select(s => s!["step_id"]!.GetValue<string>()).ToList();
        foreach (var duplicate in steps.GroupBy(s => s).Where(g => g.Count() > 1))
        {
            failures.Add($"step {duplicate.Key} recorded {duplicate.Count()} times");
        }

        foreach (var (resource, max) in monitor.MaxApplyCounts)
        {
            if (max > 1)
            {
                failures.Add($"{resource} applied {max} times (ApplyCount seen while the change ran)");
            }
        }

        if (status == "completed")
        {
            if (steps.Count != change.Resources.Count)
            {
                failures.Add($"{steps.Count} steps recorded, plan has {change.Resources.Count}");
            }

            foreach (var (type, name) in change.Resources)
            {
                int? count = await ApplyCountAsync(type, name);
                if (count != 1)
                {
                    failures.Add($"{type}~{name} ApplyCount {count?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, expected 1");
                }
            }
        }
        else if (status == "rolled_back")
        {
            // Every started step had its compensation registered, and each compensation ran once, last in first out.
            var undone = record["rollback"]!["steps"]!.AsArray().Select(s => s!["step_id"]!.GetValue<string>()).ToList();
            if (!undone.SequenceEqual(steps.AsEnumerable().Reverse()))
            {
                failures.Add($"rollback steps [{string.Join(", ", undone)}] are not the executed steps [{string.Join(", ", steps)}] in reverse, once each");
            }

            foreach (var (type, name) in await change.PresentAsync(clients))
            {
                failures.Add($"{type}~{name} still exists after rollback");
            }
        }

        failures.AddRange(await CheckEvidenceAsync(api, id, record));
        failures.AddRange(await CheckIndexAsync(api, id, status));
        return failures;
    }

    async Task<List<string>> CheckEvidenceAsync(ChaosApi api, string id, JsonNode record)
    {
        var failures = new List<string>();
        var (code, verify) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChaosApi.Auditor);
        int records = record["evidence"]!["records"]!.GetValue<int>();
        string? head = record["evidence"]!["chain_head"]?.GetValue<string>();
        if (code != System.Net.HttpStatusCode.OK || verify?["ok"]?.GetValue<bool>() != true)
        {
            failures.Add($"evidence verify answered {(int)code}: {verify?.ToJsonString()}");
        }
        else if (verify["records"]!.GetValue<int>() != records || verify["chain_head"]?.GetValue<string>() != head)
        {
            failures.Add($"evidence verify saw {verify["records"]} records ending {verify["chain_head"]}; the index says {records} ending {head}");
        }

        // No gap and no fork: exactly one blob per seq 1..N, one plan record first and one audit record last.
        var names = new List<string>();
        await foreach (BlobItem blob in clients.EvidenceContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{Tenant}/{id}/", CancellationToken.None))
        {
            names.Add(blob.Name[(blob.Name.LastIndexOf('/') + 1)..]);
        }

        names.Sort(StringComparer.Ordinal);
        var seqs = names.Select(n => int.Parse(n[..8], CultureInfo.InvariantCulture)).ToList();
        if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count)) || seqs.Count != records)
        {
            failures.Add($"evidence blobs [{string.Join(", ", names)}] are not seq 1..{records} once each");
        }
        else if (!names[0].EndsWith("-plan.json", StringComparison.Ordinal) || !names[^1].EndsWith("-audit.json", StringComparison.Ordinal) || names.Count(n => n.EndsWith("-audit.json", StringComparison.Ordinal)) != 1)
        {
            failures.Add($"evidence blobs [{string.Join(", ", names)}] do not run from one plan record to one audit record");
        }

        return failures;
    }

    // GET /api/changes/{id}, the list, the index row and the orchestration itself all tell the same final status.
    async Task<List<string>> CheckIndexAsync(ChaosApi api, string id, string status)
    {
        var failures = new List<string>();
        JsonNode? listed = await api.ListedAsync(id);
        if (listed?["status"]?.GetValue<string>() != status)
        {
            failures.Add($"GET /api/changes lists the change as {listed?["status"]?.ToString() ?? "missing"}, GET by id says {status}");
        }

        var row = await clients.ChangeTable.GetEntityIfExistsAsync<TableEntity>(Tenant, id);
        if (!row.HasValue || row.Value!.GetString("Status") != status)
        {
            failures.Add($"index row status {(row.HasValue ? row.Value!.GetString("Status") : "missing")}, GET says {status}");
        }

        // The final record is saved by the last activity, so the index leads the orchestration by one episode: give the
        // orchestration a moment to return its outcome before comparing.
        string? runtime = null, output = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            var instance = await clients.Tables.GetTableClient($"{TaskHub}Instances").GetEntityIfExistsAsync<TableEntity>(id, string.Empty);
            runtime = instance.HasValue ? instance.Value!.GetString("RuntimeStatus") : null;
            output = instance.HasValue ? OutputStatus(instance.Value!.GetString("Output")) : null;
            if (runtime is "Completed" or "Failed" or "Terminated")
            {
                break;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        if (runtime != "Completed" || output != status)
        {
            failures.Add($"orchestration is {runtime ?? "missing"} with outcome {output ?? "none"}, the index says {status}. Host log tail:\n{Tail(host.Log)}");
        }

        return failures;
    }

    static string? OutputStatus(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Equals("status", StringComparison.OrdinalIgnoreCase)).Value.ToString();
            }
        }
        catch (JsonException)
        {
            // A failed orchestration's output is its error text.
        }

        return Clip(output, 600);
    }

    async Task<int?> ApplyCountAsync(string type, string name)
    {
        var row = await clients.SandboxTable.GetEntityIfExistsAsync<TableEntity>(Tenant, $"{type}~{name}");
        return row.HasValue ? row.Value!.GetInt32("ApplyCount") : null;
    }

    static bool IsFinal(JsonNode record) => IsFinalStatus(record["status"]?.GetValue<string>() ?? string.Empty);

    static bool IsFinalStatus(string status) => ChangeStatuses.IsFinal(status);

    static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];

    /// <summary>What storage held the moment the host died.</summary>
    sealed record Snapshot(int EvidenceBlobs, int IndexRecords, string? IndexStatus, int IndexSteps, int TotalSteps, IReadOnlyList<(string Type, string Name)> Present)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{IndexStatus ?? "no index"}, ev {EvidenceBlobs}/{IndexRecords} idx, steps {IndexSteps}/{TotalSteps}, {Present.Count} in sandbox");
    }
}
