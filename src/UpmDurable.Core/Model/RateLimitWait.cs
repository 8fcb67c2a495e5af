namespace UpmDurable.Core.Model;

/// <summary>
/// How long a step waited for its provider's rate limit (per minute and in flight, per target) before it ran:
/// <paramref name="WaitedMs"/> of orchestration time over <paramref name="Attempts"/> permit requests (the last one granted).
/// </summary>
public sealed record RateLimitWait(long WaitedMs, int Attempts);
