namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>A change-level notice sent outbound (paused, drift detected...).</summary>
public sealed record ChangeNotice(string ChangeId, string Tenant, string Event, string Message, DateTimeOffset At);
