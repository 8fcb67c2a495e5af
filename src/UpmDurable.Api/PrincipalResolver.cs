using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpmDurable.Api;

/// <summary>
/// Resolves the caller: the App Service Authentication principal when it is trusted — configured and the platform's
/// authentication on — else <c>Authorization: Bearer &lt;key&gt;</c> against the configured key hashes (local host, automation).
/// </summary>
public sealed class PrincipalResolver(IReadOnlyList<ApiKeyEntry> keys, AuthOptions? auth = null, PlatformAuthentication? platform = null, ILogger<PrincipalResolver>? logger = null)
{
    readonly AuthOptions options = auth ?? new AuthOptions();

    readonly ILogger log = logger ?? NullLogger<PrincipalResolver>.Instance;

    readonly Dictionary<string, ApiKeyEntry> byHash = keys
        .Where(k => k.Hash.Length == 64)
        .GroupBy(k => k.Hash.ToLowerInvariant())
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>What this host does with an <c>X-MS-CLIENT-PRINCIPAL</c> header, decided once at start.</summary>
    public AppServicePrincipalTrust AppServicePrincipal { get; } =
        auth?.TrustAppServicePrincipal != true ? AppServicePrincipalTrust.Off
        : (platform ?? PlatformAuthentication.FromEnvironment()).Enabled ? AppServicePrincipalTrust.Trusted
        : AppServicePrincipalTrust.Ignored;

    /// <summary>The lower-case hex SHA-256 of an API key, as configuration stores it.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The principal of a request, or null when it carries no valid identity.</summary>
    public UpmPrincipal? Resolve(HttpRequest request)
    {
        // Untrusted, the header is anyone's to write: it is not read at all.
        if (AppServicePrincipal == AppServicePrincipalTrust.Trusted && request.Headers[ClientPrincipalHeader.Name].ToString() is { Length: > 0 } encoded)
        {
            ClientPrincipalReading reading = ClientPrincipalHeader.Read(encoded, options);
            if (reading.Refusal is not null)
            {
                log.LogWarning("App Service principal refused: {Reason}", reading.Refusal);
            }

            return reading.Principal;
        }

        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 512 || !byHash.TryGetValue(HashKey(key), out ApiKeyEntry? entry))
        {
            return null;
        }

        return new UpmPrincipal(entry.Principal, entry.Tenant, entry.Roles, entry.Groups, entry.Principal);
    }

    /// <summary>The identity section of <c>/api/health</c>.</summary>
    public AuthHealth Health() => new(
        AppServicePrincipal.ToString().ToLowerInvariant(),
        AppServicePrincipal switch
        {
            AppServicePrincipalTrust.Trusted => "X-MS-CLIENT-PRINCIPAL is the caller (App Service Authentication is on); API keys still work",
            AppServicePrincipalTrust.Ignored => IgnoredReason,
            _ => "API keys only (Upm:Auth:TrustAppServicePrincipal is not set)",
        });

    /// <summary>Why a configured trust is not honoured (logged once at start, shown by <c>/api/health</c>).</summary>
    public const string IgnoredReason =
        "Upm:Auth:TrustAppServicePrincipal is set but WEBSITE_AUTH_ENABLED is not True: App Service Authentication is not on, so X-MS-CLIENT-PRINCIPAL is ignored and callers need an API key";
}
