namespace UpmDurable.Core.Model;

/// <summary>Drift monitoring after the change completes.</summary>
public sealed record DriftPolicy
{
    public string? Mode { get; init; }

    public string? Interval { get; init; }
}
