using System.Security.Cryptography;
using System.Text;

namespace UpmDurable.Core.Signing;

/// <summary>
/// <c>sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c>: GitHub's <c>X-Hub-Signature-256</c> and Jira Cloud's
/// <c>X-Hub-Signature</c>. It covers the body only; the delivery id header beside it is not signed, which is why
/// deliveries are also remembered by their body and checked against the event time they carry.
/// </summary>
public static class HubSignature
{
    /// <summary>The header value for a body.</summary>
    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Checks the signature header and that the (unsigned) delivery id header is there and well formed.</summary>
    public static WebhookAuthentication Verify(string? header, string? deliveryId, byte[] body, string secret, string headerName, string deliveryHeaderName)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal) || !DeliveryIds.IsValid(deliveryId))
        {
            return WebhookAuthentication.Refused($"{headerName} (sha256=<hex>) and {deliveryHeaderName} (1 to 128 of letters, digits and ._:-) are required.");
        }

        return HexMac.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body), header["sha256=".Length..])
            ? WebhookAuthentication.Accepted(deliveryId)
            : WebhookAuthentication.Refused("The signature does not match the body.");
    }
}
