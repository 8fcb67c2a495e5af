using Azure;
using Azure.Data.Tables;
using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Providers.Cli;

/// <summary>
/// The <c>cli</c> provider's own bookkeeping in the service's storage (table <c>{prefix}cliledger</c>). The provider's
/// target is shared by every tenant, so its rows are too: one partition (<see cref="ResourceNamespace.Shared"/>) across
/// tenants, each row naming the tenant of the change that created the resource; a resource another tenant's change
/// created is not this tenant's to delete. Rows of the former per-tenant layout (partition = tenant) are no longer read.
/// ownership of what carries no metadata (tables, command steps) and the record of each applied command step, so a
/// replayed activity answers without running the command again.
/// </summary>
public sealed class CliLedger(StorageClients clients)
{
    readonly Lazy<Task<TableClient>> table = new(async () =>
    {
        TableClient t = clients.Tables.GetTableClient($"{clients.Options.Prefix}cliledger");
        await t.CreateIfNotExistsAsync();
        return t;
    });

    public async Task<CliLedgerEntry?> GetAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        NullableResponse<TableEntity> row = await t.GetEntityIfExistsAsync<TableEntity>(Partition(tenant), RowKey(type, name), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new CliLedgerEntry(e.GetString("CreatedBy"), e.GetString("LastAppliedBy"), e.GetString("ReadBack"), e.GetString("Record"), e.GetInt32("ApplyCount") ?? 0, e.GetString("CreatedByTenant"))
            : null;
    }

    /// <summary>Marks a resource as created by <paramref name="changeId"/> (written before the create command runs).</summary>
    public async Task ClaimAsync(string tenant, string type, string name, string changeId, string executionKey, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        await t.UpsertEntityAsync(
            new TableEntity(Partition(tenant), RowKey(type, name)) { ["CreatedBy"] = changeId, ["CreatedByTenant"] = tenant, ["LastAppliedBy"] = executionKey, ["ApplyCount"] = 1 },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>
    /// Records what a command step did (its redacted step record) and how to read it back; the creator (change and
    /// tenant) stays whoever first applied it.
    /// </summary>
    public async Task RecordCommandAsync(string tenant, PlanStep step, string createdBy, string createdByTenant, string executionKey, string recordJson, int applyCount, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        await t.UpsertEntityAsync(
            new TableEntity(Partition(tenant), RowKey(step.Type, step.Name))
            {
                ["CreatedBy"] = createdBy,
                ["CreatedByTenant"] = createdByTenant,
                ["LastAppliedBy"] = executionKey,
                ["ReadBack"] = step.ReadBack,
                ["Record"] = recordJson,
                ["ApplyCount"] = applyCount,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task DeleteAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        await t.DeleteEntityAsync(Partition(tenant), RowKey(type, name), ETag.All, cancellationToken);
    }

    static string Partition(string tenant) => ResourceNamespace.PartitionOf(tenant, "cli");

    static string RowKey(string type, string name) => $"{type}~{name}";
}
