namespace UpmDurable.Workflows.Sweeps;

/// <summary>What a drift reconciliation sweep did.</summary>
public sealed record DriftSweep(int Swept, int Restarted, int Stopped, DateTimeOffset At)
{
    /// <summary>What the janitor did in the same sweep.</summary>
    public JanitorSweep Janitor { get; init; } = new(0, 0);
}
