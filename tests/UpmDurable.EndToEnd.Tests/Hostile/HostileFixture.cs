using System.Security.Cryptography;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Hostile;

/// <summary>
/// Its own service Azurite, cli target Azurite and local host for the hostile-submitter suite. The host carries a canary
/// in its environment (no child may see it, no answer may hold it), and two extra principals: a flooder (an approver in
/// no group any policy names) whose refused attempts must be bounded, and nothing else of the demo keys is changed. It
/// trusts X-MS-CLIENT-PRINCIPAL as an app with App Service Authentication on does, for one directory mapped to acme, and its
/// servicenow webhook secret is an unresolved Key Vault reference.
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public const string TaskHub = "hostilehub";

    /// <summary>An approver of tenant acme in group <c>outsiders</c> only: every decision of theirs is refused.</summary>
    public static readonly string FlooderKey = "fl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The Entra directory mapped to tenant acme (the host runs as if App Service Authentication were on).</summary>
    public const string AcmeDirectory = "6d1c0b1e-acme-directory";

    /// <summary>A value only the host's own environment holds.</summary>
    public static readonly string HostCanary = "hostcanary" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// The servicenow webhook secret as App Service leaves it when it cannot resolve the reference (in other case):
    /// the provider must be disabled, never run with this text as its secret.
    /// </summary>
    public const string UnresolvedKeyVaultReference = "@microsoft.keyvault(VaultName=kv-upm;SecretName=upm-webhook-servicenow-secret)";

    public Azurite Azurite { get; private set; } = null!;

    /// <summary>The cli provider's account: never the service's.</summary>
    public Azurite Target { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Task<Azurite> service = Azurite.StartAsync(), target = Azurite.StartAsync();
        Azurite = await service;
        Target = await target;
        Host = new LocalHostProcess(Azurite.ConnectionString, TaskHub) { CliTargetConnectionString = Target.ConnectionString, PartitionCount = LocalHostProcess.FunctionalPartitions };
        Host.Environment["UPM_HOST_CANARY"] = HostCanary;
        Host.ExtraArgs.Add("--Upm:Policies:CacheSeconds=60"); // this suite changes no policy
        Host.AddApiKey(FlooderKey, "flooder", "acme", "approver", "outsiders");

        // As on App Service with its authentication on: the header is trusted, so its claims are what a hostile caller
        // would aim at (the platform would strip a client's copy; here the tests write it). API keys still work.
        Host.Environment["WEBSITE_AUTH_ENABLED"] = "True";
        Host.ExtraArgs.Add("--Upm:Auth:TrustAppServicePrincipal=true");
        Host.ExtraArgs.Add($"--Upm:Auth:Tenants:{AcmeDirectory}=acme");
        Host.ExtraArgs.Add($"--Upm:Webhooks:servicenow:Secret={UnresolvedKeyVaultReference}");
        await Host.StartAsync();
        Api = new ChangeClient(Host);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        await Target.DisposeAsync();
    }
}

[CollectionDefinition("hostile")]
public sealed class HostileCollection : ICollectionFixture<HostileFixture>
{
}
