using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Audit;

namespace UpmDurable.Storage;

/// <summary>Evidence signing settings. Configuration section <c>Upm:Evidence</c>.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Upm:Evidence";

    /// <summary>
    /// The ECDSA P-256 private key as PKCS#8 PEM. In Azure: a Key Vault reference in app settings. When unset, a key is
    /// generated once and kept in the private <c>{prefix}-keys</c> container, so every host of the deployment signs alike.
    /// </summary>
    public string? SigningKeyPem { get; set; }
}

/// <summary>Provides the evidence signer: the configured key, or the deployment's generated one.</summary>
public sealed class EvidenceKeys(StorageClients clients, EvidenceOptions options) : IDisposable
{
    readonly SemaphoreSlim gate = new(1, 1);
    EvidenceSigner? signer;

    public async Task<EvidenceSigner> GetSignerAsync(CancellationToken cancellationToken = default)
    {
        if (signer is not null)
        {
            return signer;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            signer ??= new EvidenceSigner(options.SigningKeyPem is { Length: > 0 } pem ? pem : await LoadOrCreateAsync(cancellationToken));
            return signer;
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        BlobContainerClient container = clients.Blobs.GetBlobContainerClient($"{clients.Options.Prefix}-keys");
        await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        BlobClient blob = container.GetBlobClient("evidence-signing-key.pem");
        try
        {
            // First host wins; the others read the key it wrote.
            await blob.UploadAsync(BinaryData.FromString(EvidenceSigner.NewPrivateKeyPem()), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already there.
        }

        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
    }

    public void Dispose()
    {
        gate.Dispose();
        signer?.Dispose();
    }
}
