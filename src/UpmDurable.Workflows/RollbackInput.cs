namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the post-completion rollback orchestration.</summary>
public sealed record RollbackInput(string Tenant, string ChangeId, string RequestedBy, string? Reason, DateTimeOffset At, string? RequestedByName = null)
{
    /// <summary>The rollback's instance id: one per change.</summary>
    public static string InstanceIdFor(string changeId) => $"rollback-{changeId}";

    /// <summary>
    /// True: the operator overwrites resources changed since the change (conflicts) with their before-images. Otherwise each
    /// such resource is left as it is and the rollback ends <c>rollback_failed</c> naming it.
    /// </summary>
    public bool? Force { get; init; }
}
