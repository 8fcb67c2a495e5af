namespace UpmDurable.Storage;

/// <summary>Where UpmDurable keeps evidence, records and sandbox state. Configuration section <c>Upm:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Upm:Storage";

    /// <summary>Azurite's well-known development connection string (default ports 10000-10002).</summary>
    public const string Development = "UseDevelopmentStorage=true";

    /// <summary>A connection string (Azurite locally). Ignored when <see cref="AccountName"/> is set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>In Azure: the storage account name, reached with managed identity (no account keys).</summary>
    public string? AccountName { get; set; }

    /// <summary>Client id of the user-assigned managed identity, when one is used.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix of every table and container name, so several deployments or test runs can share an account.</summary>
    public string Prefix { get; set; } = "upm";
}
