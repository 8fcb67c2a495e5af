namespace UpmDurable.Storage;

/// <summary>
/// The one rule for where a provider's resources are keyed (locks, ownership, the cli provider's ledger). The
/// <c>sandbox</c> simulates a separate cloud per tenant, so its resources are per tenant; every other provider acts on a
/// target all tenants share (<c>cli</c>: one storage account; <c>azure</c>: one subscription), so two tenants naming the
/// same resource name the same thing and its rows live in one partition across tenants. Allow-list: a provider not named
/// here is shared, the safe side (a needless wait, never two tenants mutating one resource at once).
/// </summary>
public static class ResourceNamespace
{
    /// <summary>The partition of shared targets; never a tenant (tenant names start with a lower-case letter or digit).</summary>
    public const string Shared = "~shared";

    static readonly HashSet<string> PerTenant = new(StringComparer.Ordinal) { "sandbox" };

    /// <summary>True when the provider's resources are the same for every tenant.</summary>
    public static bool IsShared(string provider) => !PerTenant.Contains(provider);

    /// <summary>The partition holding the provider's resource rows for that tenant.</summary>
    public static string PartitionOf(string tenant, string provider) => IsShared(provider) ? Shared : tenant;
}
