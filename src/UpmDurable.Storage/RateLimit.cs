namespace UpmDurable.Storage;

/// <summary>
/// A provider's limit on mutating operations against one target: at most <see cref="PerMinute"/> started per minute (a
/// token bucket holding one minute's worth) and at most <see cref="InFlight"/> running at once. Zero turns that bound off.
/// Configuration <c>Upm:{Azure|Cli|Sandbox}:RateLimit</c> (docs/rate-limits.md). Append-only contract: activities carry it.
/// </summary>
public sealed record RateLimit
{
    /// <summary>Operations started per minute per target; also the burst (the bucket starts full). 0: no per-minute bound.</summary>
    public int PerMinute { get; init; }

    /// <summary>Operations running at once per target. 0: no in-flight bound.</summary>
    public int InFlight { get; init; }

    /// <summary>
    /// How long an in-flight slot is held at most: a holder that never gives it back (its orchestration was terminated, its
    /// release failed after retries) loses it then. Longer than any step may run (2 h ARM wait bound plus retries).
    /// </summary>
    public int LeaseMinutes { get; init; } = DefaultLeaseMinutes;

    /// <summary>The default of <see cref="LeaseMinutes"/>.</summary>
    public const int DefaultLeaseMinutes = 150;

    /// <summary>True when either bound is set.</summary>
    public bool IsOn => PerMinute > 0 || InFlight > 0;

    /// <summary>How the limit is shown (scorecard evidence, logs).</summary>
    public override string ToString() => IsOn
        ? string.Join(", ", new[] { PerMinute > 0 ? $"{PerMinute}/min" : null, InFlight > 0 ? $"{InFlight} in flight" : null }.Where(p => p is not null))
        : "off";
}
