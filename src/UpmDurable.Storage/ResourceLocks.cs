using Azure;
using Azure.Data.Tables;

namespace UpmDurable.Storage;

/// <summary>
/// Per-resource locks and ownership: two changes never mutate the same resource at once, and the last completed change
/// on a resource owns its intended state (a drift monitor of an older change stops watching it: superseded).
/// Rows: partition = tenant, row = <c>{provider}~{type}~{name}</c>. Every write is conditional on the row's ETag.
/// </summary>
public sealed class ResourceLocks(StorageClients clients, ChangeStore changes)
{
    /// <summary>
    /// Takes the locks of every resource for a change, all or nothing, without waiting (no deadlock between two changes: one
    /// that finds a lock held gives back what it took and tries again later).
    /// A lock held by a change that has finished is stale and taken over. Returns the holders when any lock is held.
    /// </summary>
    public async Task<List<ResourceHolder>> AcquireAsync(string tenant, string changeId, IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken = default)
    {
        var taken = new List<ResourceKey>();
        var held = new List<ResourceHolder>();

        // Rows are independent and each write is conditional, so they are taken a few at a time (a 1,000-resource change
        // spent seconds here one row after another); all or nothing still holds, and the result is in row order.
        ResourceKey[] ordered = resources.Distinct().OrderBy(r => r.RowKey, StringComparer.Ordinal).ToArray();
        string?[] holders = new string?[ordered.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ordered.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => holders[i] = await TryLockAsync(tenant, changeId, ordered[i], ct));
        for (int i = 0; i < ordered.Length; i++)
        {
            if (holders[i] is { } holder)
            {
                held.Add(new ResourceHolder(ordered[i].ToString(), holder));
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
            NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(tenant, resource.RowKey, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return;
            }

            TableEntity entity = row.Value!;
            bool ours = entity.GetString("LockedBy") == changeId;
            if (!ours && owner is null)
            {
                return;
            }

            if (ours)
            {
                entity["LockedBy"] = null;
            }

            if (owner is not null)
            {
                entity["OwnedBy"] = owner;
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

    /// <summary>The change that owns each resource's intended state (null when none completed on it yet).</summary>
    public async Task<Dictionary<ResourceKey, string?>> OwnersAsync(string tenant, IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken = default)
    {
        ResourceKey[] distinct = resources.Distinct().ToArray();
        string?[] owners = new string?[distinct.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, distinct.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(tenant, distinct[i].RowKey, cancellationToken: ct);
                owners[i] = row.HasValue ? row.Value!.GetString("OwnedBy") : null;
            });
        return distinct.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => owners[x.i]);
    }

    // Null when the lock is ours now; otherwise the change holding it.
    async Task<string?> TryLockAsync(string tenant, string changeId, ResourceKey resource, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(tenant, resource.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!row.HasValue)
                {
                    await clients.ResourceTable.AddEntityAsync(
                        new TableEntity(tenant, resource.RowKey) { ["LockedBy"] = changeId, ["LockedAt"] = DateTimeOffset.UtcNow, ["Resource"] = resource.ToString() },
                        cancellationToken);
                    return null;
                }

                TableEntity entity = row.Value!;
                string? holder = entity.GetString("LockedBy");
                if (holder == changeId)
                {
                    return null;
                }

                if (holder is not null && !await IsFinishedAsync(tenant, holder, cancellationToken))
                {
                    return holder;
                }

                entity["LockedBy"] = changeId;
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

    async Task<bool> IsFinishedAsync(string tenant, string changeId, CancellationToken cancellationToken)
    {
        ChangeIndexEntry? entry = await changes.GetIndexAsync(tenant, changeId, cancellationToken);
        return entry is null || UpmDurable.Core.Model.ChangeStatuses.IsFinal(entry.Status);
    }
}

/// <summary>A resource as locks and ownership know it.</summary>
public sealed record ResourceKey(string Provider, string Type, string Name)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string RowKey => $"{Provider}~{Type}~{Name}";

    public override string ToString() => $"{Type}/{Name}";
}

/// <summary>A resource and the change holding its lock.</summary>
public sealed record ResourceHolder(string Resource, string ChangeId);
