using Azure.Data.Tables;
using UpmDurable.Storage;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Reads the sandbox provider's resource table directly, to check what really happened to the simulated cloud.</summary>
public sealed class SandboxState(StorageClients clients)
{
    /// <summary>How many times a resource was applied, or null when it does not exist.</summary>
    public async Task<int?> ApplyCountAsync(string type, string name, string tenant = "acme")
    {
        var row = await clients.SandboxTable.GetEntityIfExistsAsync<TableEntity>(tenant, $"{type}~{name}");
        return row.HasValue ? row.Value!.GetInt32("ApplyCount") : null;
    }

    /// <summary>Number of orchestration instances in a task hub (to prove a rejected request started none).</summary>
    public static async Task<int> InstanceCountAsync(StorageClients clients, string taskHub)
    {
        int count = 0;
        await foreach (TableEntity _ in clients.Tables.GetTableClient($"{taskHub}Instances").QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
