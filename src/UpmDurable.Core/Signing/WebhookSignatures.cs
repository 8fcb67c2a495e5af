using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace UpmDurable.Core.Signing;

/// <summary>What a signature or credential check found: the delivery id it vouches for, or why the request is refused (401).</summary>
public sealed record WebhookAuthentication(string? DeliveryId, string? Problem)
{
    public bool Ok => Problem is null;

    public static WebhookAuthentication Accepted(string? deliveryId) => new(deliveryId, null);

    public static WebhookAuthentication Refused(string problem) => new(null, problem);
}

/// <summary>Delivery ids senders name: allow-listed before they are stored or echoed.</summary>
public static partial class DeliveryIds
{
    /// <summary>1–128 of letters, digits and <c>._:-</c> (GitHub's GUIDs, Jira's identifiers, our own).</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex Pattern();
}

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

/// <summary>
/// The credential of a ServiceNow outbound REST message: <c>Authorization: Bearer &lt;token&gt;</c> or
/// <c>Authorization: Basic base64(user:password)</c>, compared by SHA-256 in constant time with the configured hash.
/// </summary>
public static class OutboundCredential
{
    /// <summary>The lower-case hex SHA-256 to configure for a token, or for <c>user:password</c>.</summary>
    public static string Hash(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>Checks the Authorization header; the optional delivery id must be well formed when present.</summary>
    public static WebhookAuthentication Verify(string? authorization, string? deliveryId, string credentialHash)
    {
        string? credential = Credential(authorization);
        if (credential is null)
        {
            return WebhookAuthentication.Refused("Authorization (Bearer <token> or Basic <user:password>) or X-Upm-Signature is required.");
        }

        if (deliveryId is not null && !DeliveryIds.IsValid(deliveryId))
        {
            return WebhookAuthentication.Refused($"{UpmSignature.DeliveryHeader}, when sent, must be 1 to 128 of letters, digits and ._:-.");
        }

        return HexMac.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(credential)), credentialHash)
            ? WebhookAuthentication.Accepted(deliveryId)
            : WebhookAuthentication.Refused("The credential is not the configured one.");
    }

    static string? Credential(string? authorization)
    {
        if (authorization is null || authorization.Length > 2048)
        {
            return null;
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } token ? token : null;
        }

        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            string decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            return decoded.Contains(':', StringComparison.Ordinal) ? decoded : null;
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>Constant-time comparison of a computed MAC or hash with the hex a request (or configuration) carries.</summary>
static class HexMac
{
    public static bool FixedTimeEquals(byte[] expected, string hex)
    {
        if (hex.Length != expected.Length * 2)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
