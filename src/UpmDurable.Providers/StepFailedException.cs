namespace UpmDurable.Providers;

/// <summary>The target refused a step: a permanent failure, not retried.</summary>
public sealed class StepFailedException(string stepId, int rc, string message)
    : Exception($"Step {stepId} failed (rc={rc}): {message}")
{
    public string StepId { get; } = stepId;

    public int Rc { get; } = rc;
}
