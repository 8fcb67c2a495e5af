namespace UpmDurable.Providers.Cli.Runner;

/// <summary>When and how a failed command is retried: exponential backoff with jitter.</summary>
public sealed record RetryPolicy
{
    /// <summary>Default: 3 attempts, 500 ms doubling to at most 10 s, ±20 % jitter, on throttling/transient network messages.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>No retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts, the first included (the TLS fallback retry does not count).</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fraction of the delay added or removed at random (0.2 → ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Exit codes that are worth retrying.</summary>
    public IReadOnlyCollection<int> RetryableExitCodes { get; init; } = [];

    /// <summary>Regexes (case-insensitive) on stderr that make a failure retryable.</summary>
    public IReadOnlyList<string> RetryableStderrPatterns { get; init; } =
    [
        @"\b429\b", "too many requests", @"\b50[234]\b", "service unavailable", "temporarily unavailable",
        "connection reset", "connection refused", @"timed? ?out", "try again", "ServerBusy", "TLS handshake timeout",
    ];

    /// <summary>Whether a timed-out attempt is retried.</summary>
    public bool RetryOnTimeout { get; init; }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based): <c>min(max, base·2^(retry-1))</c> ± jitter.</summary>
    public TimeSpan DelayBefore(int retry, Random random)
    {
        double baseMs = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        double jittered = baseMs * (1 + (Jitter * ((2 * random.NextDouble()) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }
}
