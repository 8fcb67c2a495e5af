using UpmDurable.Core.Model;

namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
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
