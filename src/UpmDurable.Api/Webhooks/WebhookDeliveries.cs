using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using UpmDurable.Storage;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// Deliveries already received, in the <c>{prefix}webhookdeliveries</c> table (partition = provider): each by its
/// delivery id when the sender names one, and by the SHA-256 of its body. Rows are never deleted, so the memory
/// outlasts any age a delivery may be accepted at; the body row refuses a replay whose (unsigned) delivery id header
/// was changed.
/// </summary>
public sealed class WebhookDeliveries(StorageClients storage, TimeProvider clock)
{
    /// <summary>Remembers a delivery; false when its id or its body was received before (a replay).</summary>
    public async Task<bool> RememberAsync(string provider, string? deliveryId, byte[] body, string changeId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        TableEntity Row(string key) => new(provider, key) { ["ChangeId"] = changeId, ["ReceivedAt"] = now };

        // One transaction: either both rows are written or, when either exists, neither.
        var rows = new List<TableTransactionAction> { new(TableTransactionActionType.Add, Row("body:" + Convert.ToHexStringLower(SHA256.HashData(body)))) };
        if (deliveryId is not null)
        {
            rows.Add(new(TableTransactionActionType.Add, Row("id:" + deliveryId)));
        }

        try
        {
            await storage.WebhookDeliveryTable.SubmitTransactionAsync(rows, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }
}
