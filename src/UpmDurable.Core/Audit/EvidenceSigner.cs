using System.Security.Cryptography;
using System.Text;

namespace UpmDurable.Core.Audit;

/// <summary>
/// Signs evidence pack manifests with ECDSA P-256 / SHA-256 (DER signatures), so a pack can be verified offline with
/// only the public key: <c>openssl dgst -sha256 -verify evidence-public-key.pem -signature manifest.sig manifest.json</c>.
/// </summary>
public sealed class EvidenceSigner : IDisposable
{
    readonly ECDsa key;

    public EvidenceSigner(string privateKeyPem)
    {
        key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new ArgumentException("The evidence signing key must be an ECDSA P-256 key.", nameof(privateKeyPem));
        }

        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = KeyIdOf(PublicKeyPem);
    }

    /// <summary>The public key as PEM (SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem { get; }

    /// <summary>A short, stable id of the key: the first 16 hex digits of the SHA-256 of its public key.</summary>
    public string KeyId { get; }

    /// <summary>A new P-256 private key as PKCS#8 PEM.</summary>
    public static string NewPrivateKeyPem()
    {
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return fresh.ExportPkcs8PrivateKeyPem();
    }

    public static string KeyIdOf(string publicKeyPem) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(publicKeyPem.Trim())))[..16];

    /// <summary>DER-encoded ECDSA signature of the SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>Verifies a DER signature against a PEM public key.</summary>
    public static bool Verify(byte[] data, byte[] signature, string publicKeyPem)
    {
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(publicKeyPem);
        return publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public void Dispose() => key.Dispose();
}
