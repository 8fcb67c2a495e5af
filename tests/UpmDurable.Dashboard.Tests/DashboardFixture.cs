using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Dashboard.Tests;

/// <summary>One Azurite and one local host process shared by the dashboard tests.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, "dashhub") { PartitionCount = LocalHostProcess.FunctionalPartitions };
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition("dashboard")]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;

/// <summary>A test that needs the system Chromium; skipped, with the reason printed, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"{ExecutablePath} is not installed (./test.sh installs it with apt-get install chromium): browser tests skipped.";
        }
    }
}
