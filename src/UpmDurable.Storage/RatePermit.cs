namespace UpmDurable.Storage;

/// <summary>
/// The limiter's answer to one permit request: granted, or not yet — ask again after <paramref name="RetryAfterMs"/>;
/// <paramref name="Ahead"/> waiters asked before this one and are served first.
/// </summary>
public sealed record RatePermit(bool Granted, int RetryAfterMs, int Ahead)
{
    /// <summary>A granted permit.</summary>
    public static RatePermit Grant { get; } = new(true, 0, 0);
}
