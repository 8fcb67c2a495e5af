using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Storage;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Sweeps;

/// <summary>What a drift reconciliation sweep did.</summary>
public sealed record DriftSweep(int Swept, int Restarted, int Stopped, DateTimeOffset At)
{
    /// <summary>What the janitor did in the same sweep.</summary>
    public JanitorSweep Janitor { get; init; } = new(0, 0);
}
