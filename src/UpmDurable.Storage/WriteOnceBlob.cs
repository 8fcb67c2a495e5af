using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace UpmDurable.Storage;

/// <summary>The one write-once mechanism of evidence and before-images: a JSON blob created with <c>If-None-Match: *</c>, never overwritten.</summary>
public static class WriteOnceBlob
{
    /// <summary>Creates the blob with these bytes; false, with nothing written, when it already exists.</summary>
    public static async Task<bool> TryCreateAsync(BlobClient blob, byte[] bytes, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    Metadata = metadata,
                },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
