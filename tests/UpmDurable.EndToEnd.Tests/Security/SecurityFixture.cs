using System.Security.Cryptography;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>
/// Its own Azurite and local host for the security suite, so the secret scan reads only what this suite stored. The host
/// is configured with secrets of its own (a signing key, a notification secret, an extra API key) that must never be
/// stored or logged, and trusts X-MS-CLIENT-PRINCIPAL by configuration without the platform's authentication being on.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string TaskHub = "sechub";

    /// <summary>An API key whose raw value is a secret: only its hash is configured.</summary>
    public static readonly string SecretApiKey = "sk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>An approver of tenant acme in group <c>outsiders</c> only: an approver of no change the suite submits.</summary>
    public const string OutsiderApproverKey = "test-outsider-approver-key";

    /// <summary>The Entra directory mapped to tenant acme: mapped, yet its headers must be ignored (no platform authentication).</summary>
    public const string AcmeDirectory = "6d1c0b1e-acme-directory";

    public static readonly string NotifySecret = "notify-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The evidence signing key, given as a setting (PKCS#8 PEM).</summary>
    public static readonly string SigningKeyPem = CreateSigningKeyPem();

    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    public NotificationSink Notifications { get; } = new();

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, TaskHub) { PartitionCount = LocalHostProcess.FunctionalPartitions };
        // This suite changes no policy: loaded packs are reused as in production, instead of read again per request.
        Host.ExtraArgs.Add("--Upm:Policies:CacheSeconds=60");
        Host.ExtraArgs.Add($"--Upm:Notify:Url={Notifications.Url}");
        Host.ExtraArgs.Add($"--Upm:Notify:Secret={NotifySecret}");
        Host.ExtraArgs.Add($"--Upm:Evidence:SigningKeyPem={SigningKeyPem}");
        Host.AddApiKey(SecretApiKey, "sam", "acme", "submitter", "platform");
        Host.AddApiKey(OutsiderApproverKey, "olga", "acme", "approver", "outsiders");

        // As infra sets it, on an app where nothing says App Service Authentication is on (no WEBSITE_AUTH_ENABLED):
        // X-MS-CLIENT-PRINCIPAL must be ignored.
        Host.ExtraArgs.Add("--Upm:Auth:TrustAppServicePrincipal=true");
        Host.ExtraArgs.Add($"--Upm:Auth:Tenants:{AcmeDirectory}=acme");
        await Host.StartAsync();
        Api = new ChangeClient(Host);
    }

    public async Task DisposeAsync()
    {
        Notifications.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    static string CreateSigningKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}

[CollectionDefinition("security")]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>;
