using System.Security.Cryptography;
using System.Text;

namespace UpmDurable.Core.Signing;

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
