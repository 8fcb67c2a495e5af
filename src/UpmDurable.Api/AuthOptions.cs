namespace UpmDurable.Api;

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
