namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the drift monitor orchestration; carried over by ContinueAsNew.</summary>
public sealed record DriftMonitorInput(string Tenant, string ChangeId, string Mode, string Interval, int Iteration = 0, string? LastStatus = null, string? RemediationChangeId = null, string? RemediationStatus = null)
{
    /// <summary>The monitor's instance id: one monitor per change.</summary>
    public static string InstanceIdFor(string changeId) => $"drift-{changeId}";
}
