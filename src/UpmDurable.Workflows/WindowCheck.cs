namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the change-window check: the calendar and the orchestration's current time.</summary>
public sealed record WindowCheck(string Calendar, DateTimeOffset At, string? Tenant = null, string? ChangeId = null);
