namespace UpmDurable.Core.Model;

/// <summary>The health gate of a change, defaults applied.</summary>
public sealed record HealthGate(int ObserveSeconds, int ProbeIntervalSeconds, int MinHealthyPercent, string OnFailure);
