namespace UpmDurable.Api;

/// <summary>The tenants of <c>Upm:Auth:Directories:{tid}</c>: which tenants a directory's callers may choose besides their own.</summary>
public sealed class DirectoryTenants
{
    public List<string> Tenants { get; set; } = [];
}
