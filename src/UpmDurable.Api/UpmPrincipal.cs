using UpmDurable.Workflows;

namespace UpmDurable.Api;

/// <summary>
/// An authenticated caller: who (a stable id: the Entra object id, or an API key's principal), in which tenant, with which
/// roles and groups, and a name to show beside the id. Identity comparisons use <see cref="Id"/> only.
/// </summary>
public sealed record UpmPrincipal(string Id, string Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups, string? DisplayName = null)
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
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header. Honoured only where the platform also says App Service Authentication
    /// is on (<see cref="PlatformAuthentication"/>): the platform then strips any client-sent copy and writes the signed-in
    /// principal. Anywhere else the header is ignored and callers need an API key.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>
    /// Entra directory id (the <c>tid</c> claim) → the UpmDurable tenant its callers are in. Only these directories are
    /// accepted; a caller of any other directory is refused.
    /// </summary>
    public Dictionary<string, string> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Entra directory id → further tenants a caller of that (mapped) directory may choose with a <c>upm_tenant</c> claim.
    /// A claim naming any other tenant is refused.
    /// </summary>
    public Dictionary<string, DirectoryTenants> Directories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The tenant of a caller of <paramref name="directory"/> who asks for <paramref name="requested"/> (a <c>upm_tenant</c>
    /// claim, or null for the directory's own tenant); null when the directory is not mapped or may not choose that tenant.
    /// </summary>
    public string? TenantFor(string directory, string? requested)
    {
        if (!Tenants.TryGetValue(directory, out string? home) || string.IsNullOrEmpty(home))
        {
            return null;
        }

        if (requested is null || requested == home)
        {
            return home;
        }

        return Directories.TryGetValue(directory, out DirectoryTenants? more) && more.Tenants.Contains(requested, StringComparer.Ordinal) ? requested : null;
    }
}

/// <summary>The tenants of <c>Upm:Auth:Directories:{tid}</c>: which tenants a directory's callers may choose besides their own.</summary>
public sealed class DirectoryTenants
{
    public List<string> Tenants { get; set; } = [];
}
