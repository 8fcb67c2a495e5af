namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Custom status of a change orchestration: what dashboards and pollers see while it runs.</summary>
public sealed record ChangeProgress(string Phase, string Status, int StepsDone, int StepsTotal);
