using Azure;
using Azure.Data.Tables;

namespace UpmDurable.Storage;

/// <summary>
/// Per-resource locks and ownership: two changes never mutate the same resource at once, and the last completed change
/// on a resource owns its intended state (a drift monitor of an older change stops watching it: superseded).
/// Rows: partition = <see cref="ResourceNamespace.PartitionOf"/> (the tenant for the sandbox; one partition shared by
/// every tenant for providers acting on a shared target, so two tenants never hold one resource at once), row =
/// <c>{provider}~{type}~{name}</c>. A row records the tenant of its lock holder and owner beside their change ids: a
/// holder's staleness is read from its own tenant's change index, and another tenant's change id is never handed out.
/// Every write is conditional on the row's ETag.
/// Rows written before shared targets had their own partition (cli and azure rows under the tenant's partition) are no
/// longer read: such a lock is ignored and such an ownership forgotten until the next completed change on the resource.
/// </summary>
public sealed class ResourceLocks(StorageClients clients, ChangeStore changes)
{
    /// <summary>
    /// Takes the locks of every resource for a change, all or nothing, without waiting (no deadlock between two changes: one
    /// that finds a lock held gives back what it took and tries again later).
    /// A lock held by a change that has finished is stale and taken over: its index row is final, or
    /// <paramref name="holderEnded"/> (tenant, change id) says nothing runs for it any more (its orchestration ended without
    /// making the row final). Returns the holders when any lock is held.
    /// </summary>
    public async Task<List<ResourceHolder>> AcquireAsync(string tenant, string changeId, IReadOnlyList<ResourceKey> resources, Func<string, string, CancellationToken, Task<bool>>? holderEnded = null, CancellationToken cancellationToken = default)
    {
        var taken = new List<ResourceKey>();
        var held = new List<ResourceHolder>();

        // Rows are independent and each write is conditional, so they are taken a few at a time (a 1,000-resource change
        // spent seconds here one row after another); all or nothing still holds, and the result is in row order.
        ResourceKey[] ordered = resources.Distinct().OrderBy(r => r.RowKey, StringComparer.Ordinal).ToArray();
        ResourceHolder?[] holders = new ResourceHolder?[ordered.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ordered.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => holders[i] = await TryLockAsync(tenant, changeId, ordered[i], holderEnded, ct));
        for (int i = 0; i < ordered.Length; i++)
        {
            if (holders[i] is { } holder)
            {
                held.Add(holder);
            }
            else
            {
                taken.Add(ordered[i]);
            }
        }

        if (held.Count > 0)
        {
            // All or nothing: give back what this attempt took, so the other change can finish.
            await ReleaseAsync(tenant, changeId, taken, null, cancellationToken);
        }

        return held;
    }

    /// <summary>Releases the change's locks; with <paramref name="owner"/> set, that change becomes the owner of the resources.</summary>
    public async Task ReleaseAsync(string tenant, string changeId, IReadOnlyList<ResourceKey> resources, string? owner, CancellationToken cancellationToken = default) =>
        await Parallel.ForEachAsync(
            resources.Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            (resource, ct) => new ValueTask(ReleaseOneAsync(tenant, changeId, resource, owner, ct)));

    /// <summary>Rows read or written at once by one call.</summary>
    public const int Parallelism = 16;

    async Task ReleaseOneAsync(string tenant, string changeId, ResourceKey resource, string? owner, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            string partition = resource.PartitionOf(tenant);
            NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(partition, resource.RowKey, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return;
            }

            TableEntity entity = row.Value!;
            bool ours = entity.GetString("LockedBy") == changeId && TenantOf(entity, "LockedByTenant") == tenant;
            if (!ours && owner is null)
            {
                return;
            }

            if (ours)
            {
                entity["LockedBy"] = null;
                entity["LockedByTenant"] = null;
            }

            if (owner is not null)
            {
                entity["OwnedBy"] = owner;
                entity["OwnedByTenant"] = tenant;
                entity["OwnedAt"] = DateTimeOffset.UtcNow;
            }

            try
            {
                await clients.ResourceTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Someone changed the row in between: read it again.
            }
        }
    }

    /// <summary>
    /// The change that owns each resource's intended state, as the tenant asking may see it (null when none completed on
    /// it yet; a change of another tenant, on a shared target, without its id).
    /// </summary>
    public async Task<Dictionary<ResourceKey, ResourceOwner?>> OwnersAsync(string tenant, IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken = default)
    {
        ResourceKey[] distinct = resources.Distinct().ToArray();
        ResourceOwner?[] owners = new ResourceOwner?[distinct.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, distinct.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(distinct[i].PartitionOf(tenant), distinct[i].RowKey, cancellationToken: ct);
                owners[i] = row.HasValue && row.Value!.GetString("OwnedBy") is { } owner
                    ? new ResourceOwner(TenantOf(row.Value, "OwnedByTenant") == tenant ? owner : null)
                    : null;
            });
        return distinct.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => owners[x.i]);
    }

    // Null when the lock is ours now; otherwise the change holding it (without its id when it is another tenant's).
    async Task<ResourceHolder?> TryLockAsync(string tenant, string changeId, ResourceKey resource, Func<string, string, CancellationToken, Task<bool>>? holderEnded, CancellationToken cancellationToken)
    {
        string partition = resource.PartitionOf(tenant);
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(partition, resource.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!row.HasValue)
                {
                    await clients.ResourceTable.AddEntityAsync(
                        new TableEntity(partition, resource.RowKey)
                        {
                            ["LockedBy"] = changeId,
                            ["LockedByTenant"] = tenant,
                            ["LockedAt"] = DateTimeOffset.UtcNow,
                            ["Resource"] = resource.ToString(),
                        },
                        cancellationToken);
                    return null;
                }

                TableEntity entity = row.Value!;
                string? holder = entity.GetString("LockedBy");
                string holderTenant = TenantOf(entity, "LockedByTenant");
                if (holder == changeId && holderTenant == tenant)
                {
                    return null;
                }

                // The holder's status is in its own tenant's change index.
                if (holder is not null && !await IsFinishedAsync(holderTenant, holder, holderEnded, cancellationToken))
                {
                    return new ResourceHolder(resource.ToString(), holderTenant == tenant ? holder : null);
                }

                entity["LockedBy"] = changeId;
                entity["LockedByTenant"] = tenant;
                entity["LockedAt"] = DateTimeOffset.UtcNow;
                await clients.ResourceTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
                // Another change raced us for this row: read it again and re-decide.
            }
        }
    }

    // The tenant a row names for its holder or owner; a row without one is in its tenant's own partition (a shared row
    // always names it: without, the partition is no tenant, the holder's index is not found and the lock counts as stale).
    static string TenantOf(TableEntity entity, string property) => entity.GetString(property) ?? entity.PartitionKey;

    async Task<bool> IsFinishedAsync(string tenant, string changeId, Func<string, string, CancellationToken, Task<bool>>? holderEnded, CancellationToken cancellationToken)
    {
        ChangeIndexEntry? entry = await changes.GetIndexAsync(tenant, changeId, cancellationToken);
        return entry is null
            || UpmDurable.Core.Model.ChangeStatuses.IsFinal(entry.Status)
            || (holderEnded is not null && await holderEnded(tenant, changeId, cancellationToken));
    }
}
