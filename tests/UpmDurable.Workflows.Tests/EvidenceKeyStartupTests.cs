using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UpmDurable.Core.Audit;
using UpmDurable.Storage;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Workflows.Tests;

/// <summary>What a host does at start-up about its evidence signing key.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class EvidenceKeyStartupTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("upm-keycheck-").FullName;

    static IHostedService KeyCheck(ServiceProvider services) =>
        services.GetServices<IHostedService>().Single(s => s.GetType().Name == "EvidenceKeyCheck");

    static ServiceProvider Services(Dictionary<string, string?> settings, UpmHostDefaults? defaults = null) =>
        new ServiceCollection().AddLogging().AddUpmDurable(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), defaults).BuildServiceProvider();

    [Fact]
    public async Task A_key_file_others_can_read_stops_the_host()
    {
        string file = Path.Combine(folder, "key.pem");
        await File.WriteAllTextAsync(file, EvidenceSigner.NewPrivateKeyPem());
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using ServiceProvider services = Services([], new UpmHostDefaults(SigningKeyFile: file));

        await Assert.ThrowsAsync<EvidenceKeyException>(() => KeyCheck(services).StartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_local_default_key_file_is_created_at_start_up()
    {
        string file = Path.Combine(folder, "data", "keys", "evidence-signing-key.pem");
        using ServiceProvider services = Services([], new UpmHostDefaults(SigningKeyFile: file));

        await KeyCheck(services).StartAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("@Microsoft.KeyVault(VaultName=kv;SecretName=upm-evidence-signing-key)")]
    public async Task A_missing_or_unresolved_setting_is_logged_and_the_host_starts(string? pem)
    {
        using ServiceProvider services = Services(new() { ["Upm:Evidence:SigningKeyPem"] = pem });

        await KeyCheck(services).StartAsync(CancellationToken.None);

        Assert.Throws<EvidenceKeyException>(services.GetRequiredService<EvidenceKeys>().GetSigner);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
