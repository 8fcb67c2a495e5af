using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;

namespace UpmDurable.Storage;

/// <summary>
/// Before-images of a change's steps: one blob per step at <c>{tenant}/{changeId}/{stepId}.json</c> in their own
/// container (apart from the chained evidence records), created with <c>If-None-Match: *</c> so the FIRST image of a
/// step is kept: a retried apply never replaces it with the state its own first attempt wrote.
/// </summary>
public sealed class BeforeImageStore(StorageClients clients) : IBeforeImageStore
{
    /// <summary>
    /// Stores the image unless the step already has one; answers the stored image (the first one) and the sha256 of its
    /// exact bytes.
    /// </summary>
    public async Task<StoredBeforeImage> KeepFirstAsync(string tenant, string changeId, BeforeImage image, CancellationToken cancellationToken = default)
    {
        byte[] bytes = BeforeImages.Bytes(image);
        BlobClient blob = clients.BeforeImageContainer.GetBlobClient(BlobName(tenant, changeId, image.StepId));
        if (await WriteOnceBlob.TryCreateAsync(blob, bytes, null, cancellationToken))
        {
            return new StoredBeforeImage(image, BeforeImages.Sha256(bytes));
        }

        return await GetAsync(tenant, changeId, image.StepId, cancellationToken)
            ?? throw new InvalidOperationException($"Before-image of {image.StepId} exists but cannot be read; retry.");
    }

    /// <summary>The stored image of a step, or null when the step has none.</summary>
    public async Task<StoredBeforeImage?> GetAsync(string tenant, string changeId, string stepId, CancellationToken cancellationToken = default)
    {
        try
        {
            BlobDownloadResult content = await clients.BeforeImageContainer.GetBlobClient(BlobName(tenant, changeId, stepId)).DownloadContentAsync(cancellationToken);
            byte[] bytes = content.Content.ToArray();
            return new StoredBeforeImage(UpmJson.Deserialize<BeforeImage>(System.Text.Encoding.UTF8.GetString(bytes))!, BeforeImages.Sha256(bytes));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Every stored image of a change, by step id, with its exact bytes (for the evidence pack).</summary>
    public async Task<List<StoredEvidence>> ListRawAsync(string tenant, string changeId, CancellationToken cancellationToken = default)
    {
        var images = new List<StoredEvidence>();
        await foreach (BlobItem item in clients.BeforeImageContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{tenant}/{changeId}/", cancellationToken))
        {
            BlobDownloadResult content = await clients.BeforeImageContainer.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken);
            images.Add(new StoredEvidence(item.Name[$"{tenant}/{changeId}/".Length..], content.Content.ToArray()));
        }

        return images.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    static string BlobName(string tenant, string changeId, string stepId) => $"{tenant}/{changeId}/{stepId}.json";
}
