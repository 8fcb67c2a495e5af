using UpmDurable.Providers.Cli;
using UpmDurable.Testing;

namespace UpmDurable.Providers.Tests;

/// <summary>The cli provider the cli test classes run: its ledger on the service's Azurite, its target the fixture's other Azurite.</summary>
static class TargetCli
{
    public static CliProvider For(ServiceAndTargetFixture fixture, Action<string>? log) =>
        new(new CliLedger(fixture.Azurite.Clients()), new CliOptions { StorageConnectionString = fixture.Target.ConnectionString }, log, MutatingCommandCatalog.Catalog);
}
