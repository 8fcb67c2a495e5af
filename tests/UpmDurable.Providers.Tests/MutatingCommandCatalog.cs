using UpmDurable.Core.Execution;

namespace UpmDurable.Providers.Tests;

/// <summary>
/// The default command-step catalog widened with a few mutating az commands, as an operator's configuration could: the
/// provider's own mechanics for command steps (run once per change and step, rollback on compensation, ownership,
/// redaction of what a command prints) need a command that changes something.
/// </summary>
static class MutatingCommandCatalog
{
    static readonly CatalogOption[] Common = [new("--output", "-o", CatalogValue.Choice, ["json", "none"]), new("--name", "-n", CatalogValue.Name)];

    public static CommandCatalog Catalog { get; } = CommandCatalog.Default.With(
    [
        new CatalogEntry("az", "storage container create", Common),
        new CatalogEntry("az", "storage container delete", Common),
        new CatalogEntry("az", "storage container generate-sas", [.. Common, new("--permissions", null, CatalogValue.Name), new("--expiry", null, CatalogValue.Text)]),
    ]);
}
