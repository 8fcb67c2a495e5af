namespace UpmDurable.Core.Model;

/// <summary>How a change rolls out.</summary>
public sealed record RolloutPolicy
{
    public int? MaxParallel { get; init; }

    /// <summary>The health gate, where the contract's example gives it; the top-level <c>health_gate</c> is the same field.</summary>
    public HealthGatePolicy? HealthGate { get; init; }
}
