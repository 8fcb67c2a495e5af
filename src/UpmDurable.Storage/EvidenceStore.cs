using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;

namespace UpmDurable.Storage;

/// <summary>Write-once evidence blobs: a record is created with <c>If-None-Match: *</c> and never overwritten.</summary>
public sealed class EvidenceStore(StorageClients clients)
{
    /// <summary>
    /// Writes a sealed record. Idempotent per (change, seq): re-writing the identical record is a no-op;
    /// a different record at the same seq throws <see cref="EvidenceConflictException"/> and nothing is overwritten.
    /// </summary>
    public async Task AppendAsync(EvidenceRecord record, CancellationToken cancellationToken = default)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(UpmJson.Serialize(record));
        BlobClient blob = clients.EvidenceContainer.GetBlobClient(record.BlobName);
        var metadata = new Dictionary<string, string> { ["sha256"] = record.Sha256.Replace("sha256:", string.Empty, StringComparison.Ordinal) };
        if (!await WriteOnceBlob.TryCreateAsync(blob, bytes, metadata, cancellationToken))
        {
            BlobDownloadResult existing = await blob.DownloadContentAsync(cancellationToken);
            if (!existing.Content.ToMemory().Span.SequenceEqual(bytes))
            {
                throw new EvidenceConflictException(record.BlobName);
            }
        }
    }

    /// <summary>Every record of a change, in seq order, as stored.</summary>
    public async Task<List<EvidenceRecord>> ListAsync(string tenant, string changeId, CancellationToken cancellationToken = default) =>
        (await ListRawAsync(tenant, changeId, cancellationToken))
            .Select(b => UpmJson.Deserialize<EvidenceRecord>(EvidenceVerifier.Text(b))!)
            .OrderBy(r => r.Seq)
            .ToList();

    /// <summary>Every blob of a change's evidence, by name, with its exact bytes (for verification and packs).</summary>
    public async Task<List<StoredEvidence>> ListRawAsync(string tenant, string changeId, CancellationToken cancellationToken = default) =>
        await DownloadAsync(await ListVersionsAsync(tenant, changeId, cancellationToken), cancellationToken);

    /// <summary>
    /// The names of a change's evidence blobs with their ETags, in name order, from one listing call: equal listings mean
    /// equal bytes, since a blob's ETag changes with every write (a record edited, deleted or added shows here).
    /// </summary>
    public async Task<List<EvidenceVersion>> ListVersionsAsync(string tenant, string changeId, CancellationToken cancellationToken = default)
    {
        var versions = new List<EvidenceVersion>();
        await foreach (BlobItem item in clients.EvidenceContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{tenant}/{changeId}/", cancellationToken))
        {
            versions.Add(new EvidenceVersion(item.Name, item.Properties.ETag ?? default));
        }

        return versions.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The exact bytes of the listed evidence blobs, in the listing's order.</summary>
    public async Task<List<StoredEvidence>> DownloadAsync(IReadOnlyList<EvidenceVersion> versions, CancellationToken cancellationToken = default)
    {
        var blobs = new StoredEvidence[versions.Count];
        await Parallel.ForAsync(0, versions.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            BlobDownloadResult content = await clients.EvidenceContainer.GetBlobClient(versions[i].Name).DownloadContentAsync(ct);
            blobs[i] = new StoredEvidence(versions[i].Name, content.Content.ToArray());
        });
        return [.. blobs];
    }

    /// <summary>One record's exact bytes, or null.</summary>
    public async Task<byte[]?> GetRawAsync(string tenant, string changeId, int seq, CancellationToken cancellationToken = default)
    {
        string prefix = $"{tenant}/{changeId}/{seq:D8}-";
        await foreach (BlobItem item in clients.EvidenceContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            return (await clients.EvidenceContainer.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }

        return null;
    }
}
