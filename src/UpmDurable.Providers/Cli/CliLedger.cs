using Azure;
using Azure.Data.Tables;
using UpmDurable.Core.Planning;
using UpmDurable.Storage;

namespace UpmDurable.Providers.Cli;

/// <summary>What the ledger knows of one resource: who created it, which (change, step) last applied it and, for command steps, how to read it back.</summary>
public sealed record CliLedgerEntry(string? CreatedBy, string? LastAppliedBy, string? ReadBack, string? Record, int ApplyCount);

/// <summary>
/// The <c>cli</c> provider's own bookkeeping in the service's storage (table <c>{prefix}cliledger</c>, tenant = partition):
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
        NullableResponse<TableEntity> row = await t.GetEntityIfExistsAsync<TableEntity>(tenant, RowKey(type, name), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new CliLedgerEntry(e.GetString("CreatedBy"), e.GetString("LastAppliedBy"), e.GetString("ReadBack"), e.GetString("Record"), e.GetInt32("ApplyCount") ?? 0)
            : null;
    }

    /// <summary>Marks a resource as created by <paramref name="changeId"/> (written before the create command runs).</summary>
    public async Task ClaimAsync(string tenant, string type, string name, string changeId, string executionKey, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        await t.UpsertEntityAsync(
            new TableEntity(tenant, RowKey(type, name)) { ["CreatedBy"] = changeId, ["LastAppliedBy"] = executionKey, ["ApplyCount"] = 1 },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>Records what a command step did (its redacted step record) and how to read it back.</summary>
    public async Task RecordCommandAsync(string tenant, PlanStep step, string createdBy, string executionKey, string recordJson, int applyCount, CancellationToken cancellationToken)
    {
        TableClient t = await table.Value;
        await t.UpsertEntityAsync(
            new TableEntity(tenant, RowKey(step.Type, step.Name))
            {
                ["CreatedBy"] = createdBy,
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
        await t.DeleteEntityAsync(tenant, RowKey(type, name), ETag.All, cancellationToken);
    }

    static string RowKey(string type, string name) => $"{type}~{name}";
}
