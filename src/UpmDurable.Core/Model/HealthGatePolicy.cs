namespace UpmDurable.Core.Model;

/// <summary>Health gate after each wave: observe the wave's resources and stop below a healthy share.</summary>
public sealed record HealthGatePolicy
{
    /// <summary>How long to observe the wave, probing repeatedly (0: one probe).</summary>
    public int? ObserveSeconds { get; init; }

    /// <summary>Seconds between probes while observing.</summary>
    public int? ProbeIntervalSeconds { get; init; }

    /// <summary>The share of the wave's resources that must be healthy at every probe (default 100).</summary>
    public int? MinHealthyPercent { get; init; }

    /// <summary>Below the threshold: <c>pause</c> (default; wait for resume or abort) or <c>rollback</c>.</summary>
    public string? OnFailure { get; init; }
}
