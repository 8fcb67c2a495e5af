using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Storage;

/// <summary>
/// The change index (one table row per change, tenant = partition key) and the full change record (one blob per change).
/// Reads are tenant-scoped by construction: a change of another tenant is simply not found.
/// </summary>
public sealed class ChangeStore(StorageClients clients)
{
    /// <summary>Writes the record of a new change; false when a change with that id already exists.</summary>
    public async Task<bool> CreateAsync(ChangeRecord record, string? requestHash, CancellationToken cancellationToken = default)
    {
        await WriteRecordBlobAsync(record, cancellationToken);
        TableEntity row = ToRow(record);
        row["RequestHash"] = requestHash;
        try
        {
            await clients.ChangeTable.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Saves a newer version of a record. Versions are ordered by evidence count then update time, so a late,
    /// replayed save of an older version never overwrites a newer one.
    /// </summary>
    public async Task SaveAsync(ChangeRecord record, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> existing = await clients.ChangeTable.GetEntityIfExistsAsync<TableEntity>(record.Tenant, record.ChangeId, cancellationToken: cancellationToken);
            if (existing.HasValue && IsNewer(existing.Value!, record))
            {
                return;
            }

            await WriteRecordBlobAsync(record, cancellationToken);
            TableEntity row = ToRow(record);
            try
            {
                if (existing.HasValue)
                {
                    // Merge: columns written by others (the drift monitor's) stay.
                    row["RequestHash"] = existing.Value!.GetString("RequestHash");
                    await clients.ChangeTable.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Merge, cancellationToken);
                }
                else
                {
                    await clients.ChangeTable.AddEntityAsync(row, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // Someone saved in between: read again and re-decide.
            }
        }
    }

    /// <summary>The record of a change in a tenant, or null.</summary>
    public async Task<ChangeRecord?> GetAsync(string tenant, string changeId, CancellationToken cancellationToken = default) =>
        (await GetIfChangedAsync(tenant, changeId, null, cancellationToken)).Value;

    /// <summary>The record of a change unless its blob still has the ETag <paramref name="known"/> (then <see cref="StoredReadState.Unchanged"/>).</summary>
    public Task<StoredRead<ChangeRecord>> GetIfChangedAsync(string tenant, string changeId, ETag? known, CancellationToken cancellationToken = default) =>
        ConditionalBlobRead.ReadAsync<ChangeRecord>(clients.RecordContainer.GetBlobClient(RecordBlobName(tenant, changeId)), known, cancellationToken);

    /// <summary>
    /// The change that created a resource as <paramref name="tenant"/> may be told it: its id when it is one of the
    /// tenant's changes, else null. On a shared target the creator may be another tenant's change, whose id is not
    /// this tenant's to see.
    /// </summary>
    public async Task<string?> VisibleCreatorAsync(string tenant, string? createdBy, CancellationToken cancellationToken = default) =>
        createdBy is not null && await GetIndexAsync(tenant, createdBy, cancellationToken) is not null ? createdBy : null;

    public async Task<ChangeIndexEntry?> GetIndexAsync(string tenant, string changeId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await clients.ChangeTable.GetEntityIfExistsAsync<TableEntity>(tenant, changeId, cancellationToken: cancellationToken);
        return row.HasValue ? ToEntry(row.Value!) : null;
    }

    /// <summary>A page of a tenant's changes, newest first within the page.</summary>
    public async Task<(List<ChangeIndexEntry> Items, string? Continuation)> ListAsync(
        string tenant, string? status, DateTimeOffset? since, DateTimeOffset? until, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant}");
        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        if (since is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"SubmittedAt ge {since.Value}");
        }

        if (until is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"SubmittedAt lt {until.Value}");
        }

        await foreach (Page<TableEntity> page in clients.ChangeTable.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken).AsPages(continuation, limit))
        {
            return (page.Values.Select(ToEntry).OrderByDescending(e => e.SubmittedAt).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every change not in a final status, across tenants (for the drift reconciliation sweep).</summary>
    public async Task<List<ChangeIndexEntry>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ChangeIndexEntry>();
        await foreach (TableEntity row in clients.ChangeTable.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            ChangeIndexEntry entry = ToEntry(row);
            if (!ChangeStatuses.IsFinal(entry.Status))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>
    /// Binds an idempotency key to a change id. Returns the binding that holds: ours when the key was new,
    /// the earlier one otherwise (compare its request hash to tell a retry from a conflicting reuse).
    /// </summary>
    public async Task<(string ChangeId, string RequestHash)> ClaimIdempotencyKeyAsync(string tenant, string keyHash, string changeId, string requestHash, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(tenant, keyHash) { ["ChangeId"] = changeId, ["RequestHash"] = requestHash };
        try
        {
            await clients.ChangeKeyTable.AddEntityAsync(row, cancellationToken);
            return (changeId, requestHash);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            TableEntity existing = (await clients.ChangeKeyTable.GetEntityAsync<TableEntity>(tenant, keyHash, cancellationToken: cancellationToken)).Value;
            return (existing.GetString("ChangeId"), existing.GetString("RequestHash"));
        }
    }

    static bool IsNewer(TableEntity stored, ChangeRecord candidate)
    {
        int storedRecords = stored.GetInt32("EvidenceRecords") ?? 0;
        DateTimeOffset storedAt = stored.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue;
        return storedRecords > candidate.Evidence.Records || (storedRecords == candidate.Evidence.Records && storedAt > candidate.UpdatedAt);
    }

    async Task WriteRecordBlobAsync(ChangeRecord record, CancellationToken cancellationToken) =>
        await clients.RecordContainer.GetBlobClient(RecordBlobName(record.Tenant, record.ChangeId))
            .UploadAsync(BinaryData.FromString(UpmJson.Serialize(record)), overwrite: true, cancellationToken);

    static string RecordBlobName(string tenant, string changeId) => $"{tenant}/{changeId}.json";

    static string DriftBlobName(string tenant, string changeId) => $"{tenant}/{changeId}.drift.json";

    /// <summary>Saves the latest drift report of a change and its summary on the index row (drift columns only).</summary>
    public async Task SaveDriftReportAsync(DriftReport report, CancellationToken cancellationToken = default)
    {
        await clients.RecordContainer.GetBlobClient(DriftBlobName(report.Tenant, report.ChangeId))
            .UploadAsync(BinaryData.FromString(UpmJson.Serialize(report)), overwrite: true, cancellationToken);
        var summary = new TableEntity(report.Tenant, report.ChangeId)
        {
            ["DriftStatus"] = report.Status,
            ["DriftCheckedAt"] = report.CheckedAt,
        };
        try
        {
            await clients.ChangeTable.UpdateEntityAsync(summary, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The change row is gone (purged): the report blob is all there is.
        }
    }

    /// <summary>The latest drift report of a change, or null when no check has run.</summary>
    public async Task<DriftReport?> GetDriftReportAsync(string tenant, string changeId, CancellationToken cancellationToken = default) =>
        (await GetDriftReportIfChangedAsync(tenant, changeId, null, cancellationToken)).Value;

    /// <summary>The drift report of a change unless its blob still has the ETag <paramref name="known"/>.</summary>
    public Task<StoredRead<DriftReport>> GetDriftReportIfChangedAsync(string tenant, string changeId, ETag? known, CancellationToken cancellationToken = default) =>
        ConditionalBlobRead.ReadAsync<DriftReport>(clients.RecordContainer.GetBlobClient(DriftBlobName(tenant, changeId)), known, cancellationToken);

    /// <summary>Every change in a status with drift monitoring on, across tenants (for the reconciliation sweep).</summary>
    public async Task<List<ChangeIndexEntry>> ListMonitoredAsync(string status, CancellationToken cancellationToken = default)
    {
        var result = new List<ChangeIndexEntry>();
        string filter = TableClient.CreateQueryFilter($"Status eq {status}") + " and DriftMode ne 'off'";
        await foreach (TableEntity row in clients.ChangeTable.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(ToEntry(row));
        }

        return result;
    }

    // Only columns something reads: the list, visibility and idempotency, the save order, the sweeps' filters. KPIs read the
    // records and their evidence chains (completeness verifies every chain, determinism recompiles every request), which no
    // column can stand in for; the KPI columns once written here were never read and are gone (docs/performance.md).
    static TableEntity ToRow(ChangeRecord record) => new(record.Tenant, record.ChangeId)
    {
        ["Status"] = record.Status,
        ["Phase"] = record.Phase,
        ["Initiator"] = record.Initiator,
        ["SubmittedAt"] = record.SubmittedAt,
        ["UpdatedAt"] = record.UpdatedAt,
        ["PlanHash"] = record.Plan?.PlanHash,
        ["EvidenceRecords"] = record.Evidence.Records,
        ["ChainHead"] = record.Evidence.ChainHead,
        ["Request"] = record.Intent.Request.Length > 512 ? record.Intent.Request[..512] : record.Intent.Request,
        ["Visibility"] = record.Intent.Visibility,
        ["Owner"] = record.Intent.Owner,
        ["ApprovalGroups"] = string.Join(',', record.Intent.ApprovalGroups),
        ["DriftMode"] = record.Intent.DriftMode,
        ["DriftInterval"] = record.Intent.DriftInterval,
        ["Simulated"] = record.Simulated,
    };

    static ChangeIndexEntry ToEntry(TableEntity row) => new(
        row.PartitionKey,
        row.RowKey,
        row.GetString("Status"),
        row.GetString("Phase"),
        row.GetString("Initiator"),
        row.GetDateTimeOffset("SubmittedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        row.GetString("PlanHash"),
        row.GetString("ChainHead"),
        row.GetInt32("EvidenceRecords") ?? 0,
        row.GetString("RequestHash"),
        row.GetString("Request"))
    {
        Visibility = row.GetString("Visibility"),
        Owner = row.GetString("Owner"),
        DriftMode = row.GetString("DriftMode"),
        DriftInterval = row.GetString("DriftInterval"),
        DriftStatus = row.GetString("DriftStatus"),
        DriftCheckedAt = row.GetDateTimeOffset("DriftCheckedAt"),
        ApprovalGroups = (row.GetString("ApprovalGroups") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
        Simulated = row.GetBoolean("Simulated"),
    };
}
