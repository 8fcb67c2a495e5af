using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// One Azurite (the service's storage), one more Azurite (the cli provider's target account: it must never be the
/// service's own) and one local host process shared by the tests of the "host" collection.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    /// <summary>The account the cli provider acts on; holds none of the service's data.</summary>
    public Azurite Target { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    /// <summary>A loopback endpoint standing in for chat/ticketing: receives the approval-needed notices.</summary>
    public NotificationSink Notifications { get; } = new();

    public const string NotifySecret = "test-notify-secret";

    /// <summary>A second approver of tenant globex (platform-owners), so a globex change gina submits can be decided.</summary>
    public const string GlobexApproverKey = "test-globex-approver-key";

    public async Task InitializeAsync()
    {
        Task<Azurite> service = Azurite.StartAsync(), target = Azurite.StartAsync();
        Azurite = await service;
        Target = await target;
        Host = new LocalHostProcess(Azurite.ConnectionString, "e2ehub") { CliTargetConnectionString = Target.ConnectionString, PartitionCount = LocalHostProcess.FunctionalPartitions };
        Host.AddApiKey(GlobexApproverKey, "hank", "globex", "approver", "platform-owners");
        Host.ExtraArgs.Add($"--Upm:Notify:Url={Notifications.Url}");
        Host.ExtraArgs.Add($"--Upm:Notify:Secret={NotifySecret}");
        await Host.StartAsync();
        Api = new ChangeClient(Host);
    }

    public async Task DisposeAsync()
    {
        Notifications.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        await Target.DisposeAsync();
    }
}

[CollectionDefinition("host")]
public sealed class HostCollection : ICollectionFixture<HostFixture>;

/// <summary>The drift tests wait on monitors' timers: their own host lets them run beside the "host" collection.</summary>
[CollectionDefinition("drift")]
public sealed class DriftCollection : ICollectionFixture<HostFixture>;
