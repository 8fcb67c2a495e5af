namespace UpmDurable.Storage;

/// <summary>Evidence signing settings. Configuration section <c>Upm:Evidence</c>.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Upm:Evidence";

    /// <summary>
    /// The ECDSA P-256 private key as PKCS#8 PEM. In Azure: a Key Vault reference in app settings (the postprovision hook
    /// creates the secret). Wins over <see cref="SigningKeyFile"/>.
    /// </summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// A PEM key file, created (mode 0600) on first use when missing; refused when group or others may read or write it.
    /// The local host defaults it to <c>&lt;data folder&gt;/keys/evidence-signing-key.pem</c>; the Functions host has no default.
    /// </summary>
    public string? SigningKeyFile { get; set; }
}
