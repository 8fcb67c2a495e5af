namespace UpmDurable.Storage.Tests;

/// <summary>A clock the test moves by hand, so minutes of rate limiting take milliseconds.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
