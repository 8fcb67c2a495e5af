using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Workflows;

// Records passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay them.

/// <summary>Input of <see cref="Orchestrators.ChangeOrchestrator"/>.</summary>
public sealed record ChangeInput(string ChangeId, string Tenant, string Initiator, DateTimeOffset SubmittedAt, ChangeSpec Spec);

/// <summary>Output of <see cref="Orchestrators.ChangeOrchestrator"/>: the final status and why.</summary>
public sealed record ChangeOutcome(string Status, string? Reason);

/// <summary>Input of the pre-flight activity. The spec, initiator and time feed policy, window and annotation.</summary>
public sealed record PreflightInput(string Tenant, string ChangeId, string Provider, Plan Plan, ChangeSpec? Spec = null, string? Initiator = null, DateTimeOffset? SubmittedAt = null);

/// <summary>Input of the change-window check: the calendar and the orchestration's current time.</summary>
public sealed record WindowCheck(string Calendar, DateTimeOffset At);

/// <summary>Input of the verify activity: the steps that were applied.</summary>
public sealed record VerifyInput(string Tenant, string ChangeId, string Provider, List<PlanStep> Steps);

/// <summary>Input of the progress activity: the record to save and the evidence record to append for this transition.</summary>
public sealed record ProgressInput(ChangeRecord Record, string Kind, JsonElement Body);

/// <summary>Custom status of a change orchestration: what dashboards and pollers see while it runs.</summary>
public sealed record ChangeProgress(string Phase, string Status, int StepsDone, int StepsTotal);
