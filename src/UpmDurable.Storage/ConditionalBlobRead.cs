using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Json;

namespace UpmDurable.Storage;

/// <summary>Downloads a JSON blob unless it still has the ETag the reader knew (<c>If-None-Match</c>: a 304 sends no bytes).</summary>
static class ConditionalBlobRead
{
    public static async Task<StoredRead<T>> ReadAsync<T>(BlobClient blob, ETag? known, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var options = new BlobDownloadOptions { Conditions = known is { } etag ? new BlobRequestConditions { IfNoneMatch = etag } : null };
            Response<BlobDownloadResult> response = await blob.DownloadContentAsync(options, cancellationToken);
            if (response.GetRawResponse().Status == 304)
            {
                return new StoredRead<T>(StoredReadState.Unchanged);
            }

            BlobDownloadResult content = response.Value;
            return new StoredRead<T>(StoredReadState.Read, UpmJson.Deserialize<T>(content.Content.ToString()), content.Details.ETag, content.Content.ToMemory().Length);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new StoredRead<T>(StoredReadState.Missing);
        }
    }
}
