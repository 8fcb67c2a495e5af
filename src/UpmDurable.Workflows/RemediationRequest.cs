namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Asks for a remediation change of a drifted change.</summary>
public sealed record RemediationRequest(string Tenant, string ChangeId, string RemediationChangeId, List<string> DriftedSteps);
