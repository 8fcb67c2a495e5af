using System.Text.Json.Nodes;
using Azure.Data.Tables;
using UpmDurable.Storage;

namespace UpmDurable.Testing.Chaos;

/// <summary>
/// A trial's change: four sandbox resources in three waves (resource group; AKS and a storage account; a namespace),
/// with the fault the trial asks for, under names no other trial uses.
/// </summary>
internal sealed class TrialChange(string suffix, TrialFault fault)
{
    const string Tenant = "acme";

    public IReadOnlyList<(string Type, string Name)> Resources { get; } =
    [
        ("az_resource_group", $"rg-{suffix}"),
        ("az_aks", $"aks-{suffix}"),
        ("az_storage_account", $"st{suffix}"),
        ("k8s_namespace", $"ns-{suffix}"),
    ];

    /// <summary>The resources of the second wave.</summary>
    public IReadOnlyList<(string Type, string Name)> Wave2 => [Resources[1], Resources[2]];

    public JsonObject Request()
    {
        var target = new JsonObject
        {
            ["provider"] = "sandbox",
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{suffix}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks-{suffix}", ["resource_group"] = $"rg-{suffix}", ["properties"] = new JsonObject { ["node_count"] = 2 } },
                new JsonObject { ["type"] = "az_storage_account", ["name"] = $"st{suffix}", ["resource_group"] = $"rg-{suffix}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{suffix}", ["cluster"] = $"aks-{suffix}" }),
        };
        if (fault == TrialFault.Apply)
        {
            target["faults"] = new JsonArray(new JsonObject { ["resource"] = $"ns-{suffix}", ["on"] = "apply" });
        }
        else if (fault == TrialFault.Verify)
        {
            target["faults"] = new JsonArray(new JsonObject { ["resource"] = $"aks-{suffix}", ["on"] = "verify" });
        }

        return new JsonObject
        {
            ["request"] = $"Chaos trial {suffix}: AKS cluster, storage account and namespace",
            ["tenant"] = Tenant,
            ["target"] = target,
            ["resources_needed"] = new JsonArray(new JsonObject { ["type"] = "quota", ["name"] = "cores", ["location"] = "eastus", ["min"] = 8 }),
            ["approvals"] = new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = 1, ["timeout"] = "P1D" },
        };
    }

    /// <summary>The resources that exist in the sandbox now.</summary>
    public async Task<IReadOnlyList<(string Type, string Name)>> PresentAsync(StorageClients clients)
    {
        var present = new List<(string, string)>();
        foreach (var (type, name) in Resources)
        {
            if ((await clients.SandboxTable.GetEntityIfExistsAsync<TableEntity>(Tenant, $"{type}~{name}", select: ["ApplyCount"])).HasValue)
            {
                present.Add((type, name));
            }
        }

        return present;
    }

    public async Task<bool> AnyAppliedAsync(StorageClients clients, IReadOnlyList<(string Type, string Name)> resources)
    {
        var present = await PresentAsync(clients);
        return resources.Any(present.Contains);
    }

    public async Task<bool> AnyMissingAsync(StorageClients clients, IReadOnlyList<(string Type, string Name)> resources)
    {
        var present = await PresentAsync(clients);
        return resources.Any(r => !present.Contains(r));
    }
}

/// <summary>Samples the sandbox's ApplyCount of each resource while a change runs: rollback deletes rows, so the final state alone cannot show a double apply.</summary>
internal sealed class ApplyCountMonitor : IAsyncDisposable
{
    const string Tenant = "acme";
    readonly Dictionary<string, int> max = new(StringComparer.Ordinal);
    readonly CancellationTokenSource stop = new();
    readonly Task sampling;

    public ApplyCountMonitor(StorageClients clients, IReadOnlyList<(string Type, string Name)> resources)
    {
        sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (type, name) in resources)
                {
                    try
                    {
                        var row = await clients.SandboxTable.GetEntityIfExistsAsync<TableEntity>(Tenant, $"{type}~{name}", select: ["ApplyCount"]);
                        int count = row.HasValue ? row.Value!.GetInt32("ApplyCount") ?? 0 : 0;
                        lock (max)
                        {
                            max[$"{type}~{name}"] = Math.Max(count, max.GetValueOrDefault($"{type}~{name}"));
                        }
                    }
                    catch (Azure.RequestFailedException)
                    {
                        // Storage briefly unavailable: the next sample catches up.
                    }
                }

                try
                {
                    await Task.Delay(100, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>The highest ApplyCount seen per resource (type~name).</summary>
    public IReadOnlyDictionary<string, int> MaxApplyCounts
    {
        get
        {
            lock (max)
            {
                return new Dictionary<string, int>(max);
            }
        }
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
