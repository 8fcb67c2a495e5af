using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UpmDurable.Core.Signing;

/// <summary>
/// <c>X-Upm-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.deliveryId.body")&gt;</c> with the delivery id in
/// <c>X-Upm-Delivery</c>: generic senders, ServiceNow scripts, and our own outgoing notices. The signature covers the
/// time and the delivery id, so a captured delivery can neither be replayed late nor under a new delivery id.
/// </summary>
public static class UpmSignature
{
    public const string Header = "X-Upm-Signature";
    public const string DeliveryHeader = "X-Upm-Delivery";

    /// <summary>The <c>X-Upm-Signature</c> value for a body sent at <paramref name="unixTime"/> as <paramref name="deliveryId"/>.</summary>
    public static string Sign(string secret, long unixTime, string deliveryId, byte[] body) =>
        $"t={unixTime.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, unixTime, deliveryId, body))}";

    /// <summary>Checks the signature, its time against <paramref name="now"/> and the signed delivery id.</summary>
    public static WebhookAuthentication Verify(string? header, string? deliveryId, byte[] body, string secret, DateTimeOffset now, int toleranceSeconds)
    {
        var parts = (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out string? t) || !parts.TryGetValue("v1", out string? v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long unix))
        {
            return WebhookAuthentication.Refused($"{Header} is missing or not 't=<unix>,v1=<hex>'.");
        }

        if (!DeliveryIds.IsValid(deliveryId))
        {
            return WebhookAuthentication.Refused($"{DeliveryHeader} is required (1 to 128 of letters, digits and ._:-) and is covered by the signature.");
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - (double)unix) > toleranceSeconds)
        {
            return WebhookAuthentication.Refused($"The signed timestamp is more than {toleranceSeconds} s from now: stale or replayed.");
        }

        return HexMac.FixedTimeEquals(Mac(secret, unix, deliveryId!, body), v1)
            ? WebhookAuthentication.Accepted(deliveryId)
            : WebhookAuthentication.Refused("The signature does not match the time, delivery id and body.");
    }

    static byte[] Mac(string secret, long unixTime, string deliveryId, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{unixTime.ToString(CultureInfo.InvariantCulture)}.{deliveryId}."), .. body];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
