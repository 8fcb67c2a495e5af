using System.Security.Cryptography;
using System.Text;
using UpmDurable.Core.Audit;

namespace UpmDurable.Storage;

/// <summary>
/// Provides the evidence signer: the configured PEM, or the key file. Never a key in storage: the service's storage account
/// is reachable by more than the service (operators, a provider acting on it), and whoever holds the key can sign packs.
/// </summary>
public sealed class EvidenceKeys(EvidenceOptions options) : IDisposable
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    readonly Lock gate = new();
    EvidenceSigner? signer;

    /// <summary>Where the key comes from, for the start-up log: "setting", "file" or "none".</summary>
    public string Source => options.SigningKeyPem is { Length: > 0 } ? "setting" : options.SigningKeyFile is { Length: > 0 } ? "file" : "none";

    /// <summary>The signer; throws <see cref="EvidenceKeyException"/> when no usable key is configured.</summary>
    public EvidenceSigner GetSigner()
    {
        lock (gate)
        {
            return signer ??= new EvidenceSigner(Load());
        }
    }

    /// <inheritdoc cref="GetSigner"/>
    public Task<EvidenceSigner> GetSignerAsync(CancellationToken cancellationToken = default) => Task.FromResult(GetSigner());

    string Load()
    {
        if (options.SigningKeyPem is { Length: > 0 } pem)
        {
            if (KeyVaultReference.IsUnresolved(pem))
            {
                throw new EvidenceKeyException(
                    "Upm:Evidence:SigningKeyPem is a Key Vault reference App Service could not resolve (the setting still holds the reference): "
                    + "check that the secret exists, that the app's identity holds Key Vault Secrets User on the vault and that the vault is reachable from the app's network.");
            }

            return Checked(pem, "Upm:Evidence:SigningKeyPem");
        }

        if (options.SigningKeyFile is { Length: > 0 } file)
        {
            return LoadOrCreateFile(Path.GetFullPath(file));
        }

        throw new EvidenceKeyException(
            "No evidence signing key is configured: set Upm:Evidence:SigningKeyPem (in Azure, the Key Vault reference the deployment sets; "
            + "scripts/postprovision.sh creates the secret) or Upm:Evidence:SigningKeyFile (a PEM file only this service's user can read).");
    }

    /// <summary>
    /// Reads the key file, or creates it first. Creation is exclusive (<see cref="FileMode.CreateNew"/>, mode 0600 from the
    /// start): when two hosts start at once, one creates the key and the other reads it.
    /// </summary>
    static string LoadOrCreateFile(string path)
    {
        CreateIfMissing(path);
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new EvidenceKeyException($"The evidence signing key file {path} is a symbolic link; refusing to use it (point Upm:Evidence:SigningKeyFile at the file itself).");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new EvidenceKeyException(
                $"The evidence signing key file {path} may be read or written by group or others (mode {Octal(File.GetUnixFileMode(path))}); "
                + $"refusing to use it. Whoever can read it can sign evidence packs: check who had access, then run `chmod 600 {path}` (or remove it to start with a new key).");
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Checked(File.ReadAllText(path), $"The evidence signing key file {path}");
            }
            catch (Exception ex) when ((ex is EvidenceKeyException or IOException) && attempt < 40
                && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(5))
            {
                // Another host created the file a moment ago and may still be writing (and holding) it.
                Thread.Sleep(50);
            }
        }
    }

    static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        string folder = Path.GetDirectoryName(path)!;
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
            create.UnixCreateMode = OwnerOnly;
        }

        byte[] pem = Encoding.ASCII.GetBytes(EvidenceSigner.NewPrivateKeyPem());
        try
        {
            using var stream = new FileStream(path, create);
            stream.Write(pem);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another host created it first: use that one.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }
    }

    static string Checked(string pem, string what)
    {
        try
        {
            using var probe = new EvidenceSigner(pem);
            probe.Sign([0]); // a public key alone imports, but cannot sign
            return pem;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new EvidenceKeyException($"{what} is not an ECDSA P-256 private key in PEM (PKCS#8 or SEC1).", ex);
        }
    }

    static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    public void Dispose()
    {
        lock (gate)
        {
            signer?.Dispose();
        }
    }
}
