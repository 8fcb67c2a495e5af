namespace UpmDurable.Core.Model;

/// <summary>
/// The one rule of what is simulated. A provider is real only when it is on <see cref="RealProviders"/> (an allow-list:
/// a provider not named there, the sandbox included, changes nothing real). A step is simulated when its provider is; a
/// change is simulated when every one of its steps is, and today every step of a change runs on its
/// <c>target.provider</c>, so a change is simulated exactly when that provider is. Documented in docs/simulated-runs.md.
/// </summary>
public static class SimulatedRuns
{
    /// <summary>Providers that act on real targets: ARM (<c>azure</c>) and the pinned CLIs (<c>cli</c>).</summary>
    public static readonly IReadOnlySet<string> RealProviders = new HashSet<string>(["azure", "cli"], StringComparer.Ordinal);

    /// <summary>What a simulated step's <see cref="StepRecord.Cmd"/> starts with: no process ran, this is what would have.</summary>
    public const string CommandPrefix = "simulated: ";

    /// <summary>Whether a provider only simulates (anything not on <see cref="RealProviders"/>).</summary>
    public static bool IsSimulatedProvider(string? provider) => provider is null || !RealProviders.Contains(provider);

    /// <summary>Whether a change is simulated: every step runs on a simulated provider (all of them run on <c>target.provider</c>).</summary>
    public static bool IsSimulated(ChangeSpec spec) => IsSimulatedProvider(spec.Provider);

    /// <summary>Whether a change record is of a simulated change.</summary>
    public static bool IsSimulated(ChangeRecord record) => IsSimulated(record.Intent);

    /// <summary>
    /// A step record as it must be kept for a step run on <paramref name="provider"/>: unchanged for a real provider; for a
    /// simulated one, <c>simulated: true</c>, the would-be command moved to <see cref="StepRecord.WouldRun"/> and
    /// <see cref="StepRecord.Cmd"/> prefixed with <see cref="CommandPrefix"/>, so it never reads as a CLI run. Idempotent.
    /// </summary>
    public static StepRecord Mark(string? provider, StepRecord step) =>
        !IsSimulatedProvider(provider) || step.Simulated == true
            ? step
            : step with { Simulated = true, WouldRun = step.Cmd, Cmd = CommandPrefix + step.Cmd };

    /// <summary>Splits changes into those on real providers and simulated ones, keeping their order.</summary>
    public static (List<T> Real, List<T> Simulated) Split<T>(IEnumerable<T> changes, Func<T, ChangeRecord> record)
    {
        var real = new List<T>();
        var simulated = new List<T>();
        foreach (T change in changes)
        {
            (IsSimulated(record(change)) ? simulated : real).Add(change);
        }

        return (real, simulated);
    }
}
