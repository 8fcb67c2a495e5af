namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Output of <see cref="Orchestrators.ChangeOrchestrator"/>: the final status and why.</summary>
public sealed record ChangeOutcome(string Status, string? Reason);
