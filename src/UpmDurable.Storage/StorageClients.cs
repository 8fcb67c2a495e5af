using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace UpmDurable.Storage;

/// <summary>The blob and table clients of the configured account, and the names of our containers and tables.</summary>
public sealed class StorageClients
{
    public StorageClients(StorageOptions options)
    {
        Options = options;
        if (!string.IsNullOrEmpty(options.AccountName))
        {
            TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            Blobs = new BlobServiceClient(new Uri($"https://{options.AccountName}.blob.core.windows.net"), credential);
            Tables = new TableServiceClient(new Uri($"https://{options.AccountName}.table.core.windows.net"), credential);
        }
        else
        {
            string connection = options.ConnectionString ?? StorageOptions.Development;
            Blobs = new BlobServiceClient(connection);
            Tables = new TableServiceClient(connection);
        }
    }

    public StorageOptions Options { get; }

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }

    public BlobContainerClient EvidenceContainer => Blobs.GetBlobContainerClient($"{Options.Prefix}-evidence");

    public BlobContainerClient RecordContainer => Blobs.GetBlobContainerClient($"{Options.Prefix}-records");

    /// <summary>Before-images of mutating steps, write-once, one blob per (tenant, change, step) (<see cref="BeforeImageStore"/>).</summary>
    public BlobContainerClient BeforeImageContainer => Blobs.GetBlobContainerClient($"{Options.Prefix}-beforeimages");

    public TableClient ChangeTable => Tables.GetTableClient($"{Options.Prefix}changes");

    public TableClient ChangeKeyTable => Tables.GetTableClient($"{Options.Prefix}changekeys");

    public TableClient WebhookDeliveryTable => Tables.GetTableClient($"{Options.Prefix}webhookdeliveries");

    public TableClient SandboxTable => Tables.GetTableClient($"{Options.Prefix}sandbox");

    /// <summary>One row per resource a change touches: which change holds its lock, which change owns its intended state.</summary>
    public TableClient ResourceTable => Tables.GetTableClient($"{Options.Prefix}resources");

    /// <summary>One row per (provider, target) rate limiter: its token bucket, in-flight leases and waiters (<see cref="RateLimiter"/>).</summary>
    public TableClient RateLimitTable => Tables.GetTableClient($"{Options.Prefix}ratelimits");

    /// <summary>Creates every container and table once; safe to call again.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await EvidenceContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await RecordContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await BeforeImageContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await ChangeTable.CreateIfNotExistsAsync(cancellationToken);
        await ChangeKeyTable.CreateIfNotExistsAsync(cancellationToken);
        await SandboxTable.CreateIfNotExistsAsync(cancellationToken);
        await WebhookDeliveryTable.CreateIfNotExistsAsync(cancellationToken);
        await ResourceTable.CreateIfNotExistsAsync(cancellationToken);
        await RateLimitTable.CreateIfNotExistsAsync(cancellationToken);
    }

    /// <summary>True when the account answers.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in Tables.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return true;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AuthenticationFailedException or OperationCanceledException)
        {
            return false;
        }
    }
}
