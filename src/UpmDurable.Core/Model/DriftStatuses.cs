namespace UpmDurable.Core.Model;

/// <summary>Drift statuses.</summary>
public static class DriftStatuses
{
    public const string Pending = "pending";
    public const string InSync = "in_sync";
    public const string Drifted = "drifted";
    public const string Stopped = "stopped";
    public const string NotMonitored = "not_monitored";
}
