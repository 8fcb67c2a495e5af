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

/// <summary>
/// Two Azurites started together: the service's storage (our containers and tables created) and a separate target
/// account for the cli provider, which must never act on the service's own account.
/// </summary>
public sealed class ServiceAndTargetFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    /// <summary>The cli provider's target; holds none of the service's data.</summary>
    public Azurite Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Task<Azurite> service = Azurite.StartAsync(), target = Azurite.StartAsync();
        Azurite = await service;
        Target = await target;
        await Azurite.Clients().EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await Azurite.DisposeAsync();
        await Target.DisposeAsync();
    }
}
