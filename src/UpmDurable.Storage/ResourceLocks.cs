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
    /// Takes the locks of every resource for a change, all or nothing, in a fixed order (no deadlock between two changes).
    /// A lock held by a change that has finished is stale and taken over. Returns the holders when any lock is held.
    /// </summary>
    public async Task<List<ResourceHolder>> AcquireAsync(string tenant, string changeId, IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken = default)
    {
        var taken = new List<ResourceKey>();
        var held = new List<ResourceHolder>();
        foreach (ResourceKey resource in resources.Distinct().OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            string? holder = await TryLockAsync(tenant, changeId, resource, cancellationToken);
            if (holder is null)
            {
                taken.Add(resource);
            }
            else
            {
                held.Add(new ResourceHolder(resource.ToString(), holder));
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
    public async Task ReleaseAsync(string tenant, string changeId, IReadOnlyList<ResourceKey> resources, string? owner, CancellationToken cancellationToken = default)
    {
        foreach (ResourceKey resource in resources.Distinct())
        {
            for (int attempt = 0; attempt < 10; attempt++)
            {
                NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(tenant, resource.RowKey, cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    break;
                }

                TableEntity entity = row.Value!;
                bool ours = entity.GetString("LockedBy") == changeId;
                if (!ours && owner is null)
                {
                    break;
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
                    break;
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    // Someone changed the row in between: read it again.
                }
            }
        }
    }

    /// <summary>The change that owns each resource's intended state (null when none completed on it yet).</summary>
    public async Task<Dictionary<ResourceKey, string?>> OwnersAsync(string tenant, IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken = default)
    {
        var owners = new Dictionary<ResourceKey, string?>();
        foreach (ResourceKey resource in resources.Distinct())
        {
            NullableResponse<TableEntity> row = await clients.ResourceTable.GetEntityIfExistsAsync<TableEntity>(tenant, resource.RowKey, cancellationToken: cancellationToken);
            owners[resource] = row.HasValue ? row.Value!.GetString("OwnedBy") : null;
        }

        return owners;
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
