using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace UpmDurable.Workflows.Http;

/// <summary>An authenticated caller: who, in which tenant, with which roles and groups.</summary>
public sealed record UpmPrincipal(string Id, string Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups)
{
    public const string Submitter = "submitter";
    public const string Approver = "approver";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>True when the principal has any of the roles (admin has them all).</summary>
    public bool HasAnyRole(params string[] roles) => Roles.Contains(Admin) || roles.Any(Roles.Contains);
}

/// <summary>One API key of configuration section <c>Upm:ApiKeys</c>. Only the SHA-256 of the key is stored.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string Hash { get; set; } = string.Empty;

    public string Principal { get; set; } = string.Empty;

    public string Tenant { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];

    public List<string> Groups { get; set; } = [];
}

/// <summary>Identity settings. Configuration section <c>Upm:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Upm:Auth";

    /// <summary>
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header. Only set this where App Service Authentication (Entra ID) is enabled
    /// on the function app: the platform then strips any client-sent copy and writes the signed-in principal.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>Entra tenant id (the <c>tid</c> claim) → UpmDurable tenant. A <c>upm_tenant</c> claim, when present, wins.</summary>
    public Dictionary<string, string> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Resolves the caller: the App Service Authentication principal when trusted (Azure), else <c>Authorization: Bearer &lt;key&gt;</c>
/// against the configured key hashes (local host, automation).
/// </summary>
public sealed class PrincipalResolver(IReadOnlyList<ApiKeyEntry> keys, AuthOptions? auth = null)
{
    const string TenantIdClaim = "http://schemas.microsoft.com/identity/claims/tenantid";
    const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    readonly AuthOptions auth = auth ?? new AuthOptions();

    readonly Dictionary<string, ApiKeyEntry> byHash = keys
        .Where(k => k.Hash.Length == 64)
        .GroupBy(k => k.Hash.ToLowerInvariant())
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The lower-case hex SHA-256 of an API key, as configuration stores it.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The principal of a request, or null when it carries no valid identity.</summary>
    public UpmPrincipal? Resolve(HttpRequest request)
    {
        if (auth.TrustAppServicePrincipal && request.Headers["X-MS-CLIENT-PRINCIPAL"].ToString() is { Length: > 0 } encoded)
        {
            return FromAppServicePrincipal(encoded);
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

        return new UpmPrincipal(entry.Principal, entry.Tenant, entry.Roles, entry.Groups);
    }

    // App Service Authentication's principal: base64 JSON {auth_typ, name_typ, role_typ, claims: [{typ, val}]}.
    UpmPrincipal? FromAppServicePrincipal(string encoded)
    {
        ClientPrincipal? principal;
        try
        {
            principal = JsonSerializer.Deserialize<ClientPrincipal>(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }

        if (principal?.Claims is not { Count: > 0 } claims)
        {
            return null;
        }

        List<string> Values(params string?[] types) => claims.Where(c => types.Contains(c.Typ) && !string.IsNullOrEmpty(c.Val)).Select(c => c.Val!).Distinct().ToList();
        string? id = Values(principal.NameTyp, "preferred_username", "name").FirstOrDefault() ?? Values(ObjectIdClaim, "oid").FirstOrDefault();
        string? tenant = Values("upm_tenant").FirstOrDefault()
            ?? Values(TenantIdClaim, "tid").Select(t => auth.Tenants.GetValueOrDefault(t)).FirstOrDefault(t => t is not null);
        if (id is null || tenant is null)
        {
            return null;
        }

        return new UpmPrincipal(id, tenant, Values(principal.RoleTyp, "roles"), Values("groups"));
    }

    sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthTyp,
        [property: JsonPropertyName("name_typ")] string? NameTyp,
        [property: JsonPropertyName("role_typ")] string? RoleTyp,
        [property: JsonPropertyName("claims")] List<ClientClaim>? Claims);

    sealed record ClientClaim(
        [property: JsonPropertyName("typ")] string? Typ,
        [property: JsonPropertyName("val")] string? Val);
}
