namespace UpmDurable.Storage;

/// <summary>App Service Key Vault references in settings (<c>@Microsoft.KeyVault(VaultName=…;SecretName=…)</c>).</summary>
public static class KeyVaultReference
{
    /// <summary>
    /// True when a setting still holds a Key Vault reference: the platform leaves the literal text in place when it cannot
    /// resolve it, and that text must never serve as a secret or a key.
    /// </summary>
    public static bool IsUnresolved(string? value) =>
        value is not null && value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
