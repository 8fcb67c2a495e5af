using Xunit;

namespace UpmDurable.Testing;

/// <summary>An xunit fixture owning one <see cref="Azurite"/> with our containers and tables created.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        await Azurite.Clients().EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}
