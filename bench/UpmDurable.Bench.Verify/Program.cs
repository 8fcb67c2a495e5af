using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using UpmDurable.Bench;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;
using UpmDurable.Testing;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Activities;

// Our own time in phase 4, without simulated provider latency: the VerifyChange activity (read back every resource from the
// sandbox table, health, diff against the plan, baseline hash) for a 100-resource change, and the CheckDrift activity
// (record, ownership, read-back, diff, report saved) for 1,000 resources, both in-process against Azurite, many repetitions.
// Usage: dotnet run -c Release --project bench/UpmDurable.Bench.Verify [-- verifyRuns [driftRuns]]
int verifyRuns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
int driftRuns = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;

await using Azurite azurite = await Azurite.StartAsync();
StorageClients clients = azurite.Clients();
await clients.EnsureCreatedAsync();
var sandbox = new SandboxProvider(clients, new SandboxOptions { LatencyMs = 0 });
var providers = new ProviderRegistry([sandbox]);
var changes = new ChangeStore(clients);
var locks = new ResourceLocks(clients, changes);
var verify = new VerifyChange(providers, new UpmDurable.Workflows.Diagnostics.ActivityFaults(new UpmDurable.Workflows.Diagnostics.TestingOptions(), changes));
var drift = new CheckDrift(changes, locks, providers, TimeProvider.System, NullLogger<CheckDrift>.Instance);
var context = new BenchActivityContext();

Console.WriteLine($"Phase 4 in-process against Azurite (sandbox latency 0 ms), {Environment.ProcessorCount} cores, read-back parallelism {ResourceReadBack.Parallelism}:");
Console.WriteLine("| measurement | resources | runs | P50 ms | P95 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");

// Verification of a 100-resource change.
(Plan plan100, string change100) = await AppliedChangeAsync(100, "chg-bench-verify");
var input100 = new VerifyInput("acme", change100, "sandbox", plan100.Steps);
VerifyReport first = await verify.RunAsync(context, input100);
if (!first.Ok || first.Checks.Count != 101)
{
    throw new InvalidOperationException($"verification did not pass: {first.Checks.FirstOrDefault(c => !c.Ok)?.Message}");
}

await Measure("VerifyChange (read-back + health + diff + baseline)", 100, verifyRuns, () => verify.RunAsync(context, input100));
ResourceState?[] states100 = await ResourceReadBack.ReadAllAsync(sandbox, "acme", plan100.Steps, CancellationToken.None);
await Measure("  of which compare + baseline hash (CPU only)", 100, verifyRuns, () => Task.FromResult(ResourceReadBack.Compare(plan100.Steps, states100)));

// Drift check of a completed 1,000-resource change.
(Plan plan1000, string change1000) = await AppliedChangeAsync(1000, "chg-bench-drift");
await CompletedRecordAsync(plan1000, change1000);
var monitor = new DriftMonitorInput("acme", change1000, "report", "PT15M");
DriftReport report = await drift.RunAsync(context, monitor);
if (report.Status != DriftStatuses.InSync || report.ResourcesChecked != 1000)
{
    throw new InvalidOperationException($"drift check: {report.Status} {report.Reason}, {report.ResourcesChecked} checked, {report.Diff.Count} diffs");
}

await Measure("CheckDrift (record + owners + read-back + diff + report)", 1000, driftRuns, () => drift.RunAsync(context, monitor));
await Measure("  of which ResourceReadBack.ReadAllAsync", 1000, driftRuns, () => ResourceReadBack.ReadAllAsync(sandbox, "acme", plan1000.Steps, CancellationToken.None));
ResourceState?[] states1000 = await ResourceReadBack.ReadAllAsync(sandbox, "acme", plan1000.Steps, CancellationToken.None);
await Measure("  of which compare + hash (CPU only)", 1000, driftRuns, () => Task.FromResult(ResourceReadBack.Compare(plan1000.Steps, states1000)));
return 0;

async Task Measure<T>(string name, int resources, int runs, Func<Task<T>> body)
{
    for (int w = 0; w < Math.Max(3, runs / 10); w++)
    {
        await body(); // warm-up: steady-state JIT and connections
    }

    var times = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await body();
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {resources:N0} | {runs} | {Figures.Percentile(times, 0.50):F1} | {Figures.Percentile(times, 0.95):F1} | {times[^1]:F1} |"));
}

// A plan of n resources (resource groups, storage accounts, namespaces, configmaps) applied to the sandbox.
async Task<(Plan Plan, string ChangeId)> AppliedChangeAsync(int n, string changeId)
{
    var resources = new List<ResourceSpec>();
    for (int i = 0; resources.Count < n; i++)
    {
        string s = string.Create(CultureInfo.InvariantCulture, $"{changeId[^5..]}{i:D4}");
        resources.Add(new ResourceSpec { Type = "az_resource_group", Name = $"rg-{s}", Location = "eastus" });
        resources.Add(new ResourceSpec { Type = "az_storage_account", Name = $"st{s}".Replace("-", string.Empty, StringComparison.Ordinal), ResourceGroup = $"rg-{s}" });
        resources.Add(new ResourceSpec { Type = "k8s_namespace", Name = $"ns-{s}" });
        resources.Add(new ResourceSpec { Type = "k8s_configmap", Name = $"cm-{s}", Namespace = $"ns-{s}" });
    }

    Plan plan = PlanCompiler.Compile(Spec(resources.Take(n).ToList()));
    await Parallel.ForEachAsync(plan.Steps, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (step, ct) =>
        await sandbox.ApplyAsync(new StepRequest { Tenant = "acme", ChangeId = changeId, Step = step }, ct));
    return (plan, changeId);
}

// The stored record of a completed change, as the orchestrator leaves it, with the verified baseline.
async Task CompletedRecordAsync(Plan plan, string changeId)
{
    VerifyReport verified = await verify.RunAsync(context, new VerifyInput("acme", changeId, "sandbox", plan.Steps));
    DateTimeOffset now = DateTimeOffset.UtcNow;
    var record = new ChangeRecord
    {
        ChangeId = changeId, Tenant = "acme", Initiator = "alice", Status = ChangeStatuses.Completed, Phase = Phases.Audit,
        SubmittedAt = now, UpdatedAt = now, Intent = Spec(plan.Steps.Select(s => s.Resource).ToList()), Plan = plan,
        Execution = new ExecutionReport { Steps = plan.Steps.Select(s => new StepRecord { StepId = s.Id, Wave = s.Wave, Cmd = s.Command, Rc = 0, Outcome = "created", StartedAt = now, FinishedAt = now }).ToList() },
        Verification = verified,
    };
    await changes.CreateAsync(record, requestHash: null);
    await locks.AcquireAsync("acme", changeId, plan.Steps.Select(s => new ResourceKey("sandbox", s.Type, s.Name)).ToList());
    await locks.ReleaseAsync("acme", changeId, plan.Steps.Select(s => new ResourceKey("sandbox", s.Type, s.Name)).ToList(), owner: changeId);
}

static ChangeSpec Spec(List<ResourceSpec> resources) => new()
{
    Request = "bench", Source = "api", Tenant = "acme", Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox",
    Resources = resources, ResourcesNeeded = [], MaxParallel = 100, ApprovalGroups = ["platform-owners"], ApprovalsRequired = 0,
    ApprovalTimeout = "P3D", DriftMode = "report", DriftInterval = "PT15M", Faults = [],
};

/// <summary>The activity context the activities get from the worker; they use nothing of it.</summary>
sealed class BenchActivityContext : TaskActivityContext
{
    public override TaskName Name => new("bench");

    public override string InstanceId => "bench";
}
