namespace UpmDurable.Core.Model;

/// <summary>The verify report: per-resource health and the diff between intended and actual state.</summary>
public sealed record VerifyReport
{
    public required bool Ok { get; init; }

    public required List<VerifyCheck> Checks { get; init; }

    public required List<DiffEntry> Diff { get; init; }

    /// <summary><c>sha256:</c> of the canonical verified state: the drift baseline.</summary>
    public required string BaselineHash { get; init; }

    public long LatencyMs { get; init; }
}
