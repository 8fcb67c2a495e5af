using UpmDurable.Core.Model;

namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>Input of the verify activity: the steps that were applied.</summary>
public sealed record VerifyInput(string Tenant, string ChangeId, string Provider, List<PlanStep> Steps);
