namespace UpmDurable.Workflows;

/// <summary>An orchestration instance's state as the janitor needs it: <see cref="Status"/> and, when it failed, why.</summary>
public sealed record InstanceState(string Status, string? Failure = null)
{
    public const string Missing = "missing";
    public const string Running = "running";

    /// <summary>True while the instance may still act (running, pending or suspended).</summary>
    public bool IsRunning => Status == Running;
}
