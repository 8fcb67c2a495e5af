using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Workflows;

// Records passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay them.

/// <summary>Input of <see cref="Orchestrators.ChangeOrchestrator"/>.</summary>
public sealed record ChangeInput(string ChangeId, string Tenant, string Initiator, DateTimeOffset SubmittedAt, ChangeSpec Spec)
{
    /// <summary>Set on a drift remediation: the change whose intended state it restores (and which keeps owning it).</summary>
    public string? RemediationOf { get; init; }

    /// <summary>
    /// The plan compiled when the change was submitted; from <see cref="Orchestrators.OrchestrationPaths.PlanTravels"/> on the
    /// orchestration uses it instead of compiling the spec again. Null: compile it (older starters).
    /// </summary>
    public Plan? Plan { get; init; }

    /// <summary>The submitter's display name, kept on the record beside <see cref="Initiator"/>.</summary>
    public string? InitiatorName { get; init; }
}

/// <summary>Output of <see cref="Orchestrators.ChangeOrchestrator"/>: the final status and why.</summary>
public sealed record ChangeOutcome(string Status, string? Reason);

/// <summary>Input of the pre-flight activity. The spec, initiator and time feed policy, window and annotation.</summary>
public sealed record PreflightInput(string Tenant, string ChangeId, string Provider, Plan Plan, ChangeSpec? Spec = null, string? Initiator = null, DateTimeOffset? SubmittedAt = null);

/// <summary>Input of the change-window check: the calendar and the orchestration's current time.</summary>
public sealed record WindowCheck(string Calendar, DateTimeOffset At, string? Tenant = null, string? ChangeId = null);

/// <summary>Input of the verify activity: the steps that were applied.</summary>
public sealed record VerifyInput(string Tenant, string ChangeId, string Provider, List<PlanStep> Steps);

/// <summary>
/// Input of the progress activity: the record to save (or, with <see cref="Delta"/>, what changed since the previous
/// checkpoint; <see cref="Record"/> is then null) and the evidence record to append for this transition.
/// </summary>
public sealed record ProgressInput(ChangeRecord? Record, string Kind, JsonElement Body)
{
    /// <summary>What changed in the record since the record the previous checkpoint stored; applied to the stored record.</summary>
    public ChangeRecordDelta? Delta { get; init; }
}

/// <summary>Custom status of a change orchestration: what dashboards and pollers see while it runs.</summary>
public sealed record ChangeProgress(string Phase, string Status, int StepsDone, int StepsTotal);

/// <summary>Input of the lock activities: the resources of a change; <c>Owner</c> set on release makes that change their owner.</summary>
public sealed record LockRequest(string Tenant, string ChangeId, List<ResourceKeyRef> Resources, string? Owner = null);

/// <summary>A resource for locks and ownership.</summary>
public sealed record ResourceKeyRef(string Provider, string Type, string Name)
{
    /// <summary>The activity contract's form of a storage resource key.</summary>
    public static ResourceKeyRef From(Storage.ResourceKey key) => new(key.Provider, key.Type, key.Name);

    /// <summary>The storage resource key this names.</summary>
    public Storage.ResourceKey ToKey() => new(Provider, Type, Name);
}

/// <summary>A change-level notice sent outbound (paused, drift detected...).</summary>
public sealed record ChangeNotice(string ChangeId, string Tenant, string Event, string Message, DateTimeOffset At);

/// <summary>Input of the drift monitor orchestration; carried over by ContinueAsNew.</summary>
public sealed record DriftMonitorInput(string Tenant, string ChangeId, string Mode, string Interval, int Iteration = 0, string? LastStatus = null, string? RemediationChangeId = null, string? RemediationStatus = null)
{
    /// <summary>The monitor's instance id: one monitor per change.</summary>
    public static string InstanceIdFor(string changeId) => $"drift-{changeId}";
}

/// <summary>Input of the post-completion rollback orchestration.</summary>
public sealed record RollbackInput(string Tenant, string ChangeId, string RequestedBy, string? Reason, DateTimeOffset At, string? RequestedByName = null)
{
    /// <summary>The rollback's instance id: one per change.</summary>
    public static string InstanceIdFor(string changeId) => $"rollback-{changeId}";

    /// <summary>
    /// True: the operator overwrites resources changed since the change (conflicts) with their before-images. Otherwise each
    /// such resource is left as it is and the rollback ends <c>rollback_failed</c> naming it.
    /// </summary>
    public bool? Force { get; init; }
}

/// <summary>Asks for a remediation change of a drifted change.</summary>
public sealed record RemediationRequest(string Tenant, string ChangeId, string RemediationChangeId, List<string> DriftedSteps);
