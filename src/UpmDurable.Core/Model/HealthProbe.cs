namespace UpmDurable.Core.Model;

/// <summary>One health-gate probe of a wave.</summary>
public sealed record HealthProbe(int Wave, int Healthy, int Total, double HealthyPercent, List<string> Unhealthy, DateTimeOffset At)
{
    public bool Passes(int minHealthyPercent) => HealthyPercent >= minHealthyPercent;
}
