using UpmDurable.Core.Model;

namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the pre-flight activity. The spec, initiator and time feed policy, window and annotation.</summary>
public sealed record PreflightInput(string Tenant, string ChangeId, string Provider, Plan Plan, ChangeSpec? Spec = null, string? Initiator = null, DateTimeOffset? SubmittedAt = null);
