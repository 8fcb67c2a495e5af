using System.Runtime.Versioning;
using UpmDurable.Core.Audit;
using UpmDurable.Storage;
using Xunit;

namespace UpmDurable.Storage.Tests;

/// <summary>The evidence signing key: a configured PEM, or a private key file; never a blob.</summary>
[UnsupportedOSPlatform("windows")] // file modes are what these tests are about
public sealed class EvidenceKeysTests : IDisposable
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    readonly string folder = Directory.CreateTempSubdirectory("upm-keys-test-").FullName;

    string KeyFile => Path.Combine(folder, "data", "keys", "evidence-signing-key.pem");

    static EvidenceKeys FromFile(string path) => new(new EvidenceOptions { SigningKeyFile = path });

    [Fact]
    public void A_missing_key_file_is_created_readable_by_its_owner_only_and_then_reused()
    {
        string keyId;
        using (EvidenceKeys keys = FromFile(KeyFile))
        {
            keyId = keys.GetSigner().KeyId;
            Assert.Equal("file", keys.Source);
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyFile));
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(KeyFile)!));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(KeyFile), StringComparison.Ordinal);
        Assert.Equal([KeyFile], Directory.GetFiles(Path.GetDirectoryName(KeyFile)!));

        using EvidenceKeys again = FromFile(KeyFile);
        Assert.Equal(keyId, again.GetSigner().KeyId);
    }

    [Fact]
    public async Task Hosts_starting_at_once_agree_on_one_key()
    {
        const int hosts = 8;
        using var start = new Barrier(hosts);
        string[] keyIds = await Task.WhenAll(Enumerable.Range(0, hosts).Select(_ => Task.Run(() =>
        {
            using EvidenceKeys keys = FromFile(KeyFile);
            start.SignalAndWait();
            return keys.GetSigner().KeyId;
        })));

        Assert.Single(keyIds.Distinct());
        using var signer = new EvidenceSigner(File.ReadAllText(KeyFile));
        Assert.Equal(keyIds[0], signer.KeyId);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherWrite | UnixFileMode.OtherRead)]
    public void An_existing_key_file_open_to_group_or_others_is_refused_and_left_as_it_is(UnixFileMode extra)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        string pem = EvidenceSigner.NewPrivateKeyPem();
        File.WriteAllText(KeyFile, pem);
        File.SetUnixFileMode(KeyFile, OwnerOnly | extra);

        using EvidenceKeys keys = FromFile(KeyFile);
        var refused = Assert.Throws<EvidenceKeyException>(keys.GetSigner);

        Assert.Contains(KeyFile, refused.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", refused.Message, StringComparison.Ordinal);
        Assert.Equal(pem, File.ReadAllText(KeyFile));
        Assert.Equal(OwnerOnly | extra, File.GetUnixFileMode(KeyFile));
    }

    [Fact]
    public void A_key_file_behind_a_symbolic_link_is_refused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        string elsewhere = Path.Combine(folder, "elsewhere.pem");
        File.WriteAllText(elsewhere, EvidenceSigner.NewPrivateKeyPem());
        File.SetUnixFileMode(elsewhere, OwnerOnly);
        File.CreateSymbolicLink(KeyFile, elsewhere);

        using EvidenceKeys keys = FromFile(KeyFile);
        Assert.Contains("symbolic link", Assert.Throws<EvidenceKeyException>(keys.GetSigner).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("")]
    [InlineData("public key only")]
    public void A_key_file_that_holds_no_private_key_is_refused(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        if (content == "public key only")
        {
            using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
            content = signer.PublicKeyPem;
        }

        File.WriteAllText(KeyFile, content);
        File.SetUnixFileMode(KeyFile, OwnerOnly);
        File.SetLastWriteTimeUtc(KeyFile, DateTime.UtcNow.AddMinutes(-1)); // not a file another host is still writing

        using EvidenceKeys keys = FromFile(KeyFile);
        Assert.Contains("is not an ECDSA P-256 private key", Assert.Throws<EvidenceKeyException>(keys.GetSigner).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_pem_wins_and_no_file_is_written()
    {
        string pem = EvidenceSigner.NewPrivateKeyPem();
        using var expected = new EvidenceSigner(pem);
        using var keys = new EvidenceKeys(new EvidenceOptions { SigningKeyPem = pem, SigningKeyFile = KeyFile });

        Assert.Equal(expected.KeyId, keys.GetSigner().KeyId);
        Assert.Equal("setting", keys.Source);
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-abc;SecretName=upm-evidence-signing-key)")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/upm-evidence-signing-key/)")]
    [InlineData("  @microsoft.keyvault(VaultName=kv-abc;SecretName=x)")]
    public void An_unresolved_key_vault_reference_is_never_used_as_a_key_nor_replaced_by_a_file(string reference)
    {
        using var keys = new EvidenceKeys(new EvidenceOptions { SigningKeyPem = reference, SigningKeyFile = KeyFile });

        var refused = Assert.Throws<EvidenceKeyException>(keys.GetSigner);
        Assert.Contains("Key Vault reference", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void Without_a_pem_or_a_key_file_there_is_no_key_and_the_error_names_both_settings()
    {
        using var keys = new EvidenceKeys(new EvidenceOptions());

        var refused = Assert.Throws<EvidenceKeyException>(keys.GetSigner);
        Assert.Equal("none", keys.Source);
        Assert.Contains("Upm:Evidence:SigningKeyPem", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Upm:Evidence:SigningKeyFile", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_that_is_not_a_key_is_refused_without_echoing_it()
    {
        const string garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWxvb2tpbmc=\n-----END PRIVATE KEY-----";
        using var keys = new EvidenceKeys(new EvidenceOptions { SigningKeyPem = garbage });

        var refused = Assert.Throws<EvidenceKeyException>(keys.GetSigner);
        Assert.Contains("Upm:Evidence:SigningKeyPem is not an ECDSA P-256 private key", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
