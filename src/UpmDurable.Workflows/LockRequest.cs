namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the lock activities: the resources of a change; <c>Owner</c> set on release makes that change their owner.</summary>
public sealed record LockRequest(string Tenant, string ChangeId, List<ResourceKeyRef> Resources, string? Owner = null);
