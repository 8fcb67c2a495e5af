using System.Diagnostics;
using System.Globalization;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

// Compiles plans of growing size and prints P50/P95 in ms. The validator caps a change at 1,000 resources, so the
// specs are built directly: one resource group per 50 resources, clusters in them, namespaces on the clusters.
int[] sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10, 100, 1_000, 10_000];
Console.WriteLine("| resources | runs | P50 ms | P95 ms |");
Console.WriteLine("|---:|---:|---:|---:|");
foreach (int size in sizes)
{
    ChangeSpec spec = Spec(size);
    int runs = size >= 10_000 ? 10 : size >= 1_000 ? 40 : 200;
    for (int w = 0; w < Math.Max(3, runs / 10); w++)
    {
        PlanCompiler.Compile(spec); // warm-up: steady-state JIT (tiered compilation) before measuring
    }
    var times = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        PlanCompiler.Compile(spec);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size:N0} | {runs} | {Percentile(times, 0.50):F2} | {Percentile(times, 0.95):F2} |"));
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static ChangeSpec Spec(int size)
{
    var resources = new List<ResourceSpec>();
    string? group = null;
    string? cluster = null;
    for (int i = 0; resources.Count < size; i++)
    {
        if (i % 50 == 0)
        {
            group = $"rg-{i}";
            resources.Add(new ResourceSpec { Type = "az_resource_group", Name = group, Location = "eastus" });
        }
        else if (i % 50 == 1)
        {
            cluster = $"aks-{i}";
            resources.Add(new ResourceSpec { Type = "az_aks", Name = cluster, ResourceGroup = group });
        }
        else
        {
            resources.Add(new ResourceSpec { Type = "k8s_namespace", Name = $"ns-{i}", Cluster = cluster });
        }
    }

    return new ChangeSpec
    {
        Request = "bench", Source = "api", Tenant = "bench", Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox",
        Resources = resources, ResourcesNeeded = [], MaxParallel = 10, ApprovalGroups = ["platform-owners"], ApprovalsRequired = 1,
        ApprovalTimeout = "P3D", DriftMode = "report", DriftInterval = "PT15M", Faults = [],
    };
}
