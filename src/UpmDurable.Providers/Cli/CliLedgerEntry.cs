namespace UpmDurable.Providers.Cli;

/// <summary>
/// What the ledger knows of one resource: who created it (change and tenant), which (change, step) last applied it and,
/// for command steps, how to read it back.
/// </summary>
public sealed record CliLedgerEntry(string? CreatedBy, string? LastAppliedBy, string? ReadBack, string? Record, int ApplyCount, string? CreatedByTenant = null)
{
    /// <summary>The creating change as <paramref name="tenant"/> may be told it: null when it is another tenant's.</summary>
    public string? CreatedByFor(string tenant) => CreatedByTenant == tenant ? CreatedBy : null;
}
