using System.Security.Cryptography;
using System.Text;
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

/// <summary>Resolves the caller from <c>Authorization: Bearer &lt;key&gt;</c> against the configured key hashes.</summary>
public sealed class PrincipalResolver(IReadOnlyList<ApiKeyEntry> keys)
{
    readonly Dictionary<string, ApiKeyEntry> byHash = keys
        .Where(k => k.Hash.Length == 64)
        .GroupBy(k => k.Hash.ToLowerInvariant())
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The lower-case hex SHA-256 of an API key, as configuration stores it.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The principal of a request, or null when it carries no valid key.</summary>
    public UpmPrincipal? Resolve(HttpRequest request)
    {
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
}
