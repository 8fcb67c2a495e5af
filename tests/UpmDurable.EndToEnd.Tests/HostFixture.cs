using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>One Azurite and one local host process shared by the tests of the "host" collection.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    /// <summary>A loopback endpoint standing in for chat/ticketing: receives the approval-needed notices.</summary>
    public NotificationSink Notifications { get; } = new();

    public const string NotifySecret = "test-notify-secret";

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, "e2ehub");
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
    }
}

[CollectionDefinition("host")]
public sealed class HostCollection : ICollectionFixture<HostFixture>;

/// <summary>The drift tests wait on monitors' timers: their own host lets them run beside the "host" collection.</summary>
[CollectionDefinition("drift")]
public sealed class DriftCollection : ICollectionFixture<HostFixture>;
