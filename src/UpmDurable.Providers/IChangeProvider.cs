using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Providers;

/// <summary>An execution target: plan-time reads, apply, read back, compensate. Every write is idempotent per (change, step).</summary>
public interface IChangeProvider
{
    /// <summary>The provider name as requests spell it (<c>target.provider</c>).</summary>
    string Name { get; }

    /// <summary>The current state of a resource, or null when it does not exist.</summary>
    Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken);

    /// <summary>
    /// The current state of a plan's resource, or null when it does not exist. A provider that addresses resources by more
    /// than type and name (azure: the resource group, hence the resource id) reads it where the plan says it is.
    /// </summary>
    Task<ResourceState?> ReadAsync(string tenant, ResourceSpec resource, CancellationToken cancellationToken) =>
        ReadAsync(tenant, resource.Type!, resource.Name!, cancellationToken);

    /// <summary>How much of a quota is available in a location.</summary>
    Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken);

    /// <summary>Applies a step; throws <see cref="StepFailedException"/> when the target refuses it.</summary>
    Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken);

    /// <summary>Undoes a step: removes what this change created, leaves alone what existed before.</summary>
    Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Why this provider cannot put the step's resource back from a before-image (restore an update, re-create after a
    /// delete), or null when it can. Pre-flight marks such a step irreversible (policy may require an extra approval).
    /// <paramref name="current"/> is the resource as read now (null: it does not exist).
    /// </summary>
    string? NotRestorable(PlanStep step, ResourceState? current) =>
        current is null ? null : $"provider '{Name}' cannot restore a before-image";

    /// <summary>
    /// Puts the step's resource back to its before-image: deletes what the step created (<see cref="BeforeImage.Existed"/>
    /// false), restores the fields of an updated resource, re-creates a deleted one. The default only undoes creations.
    /// </summary>
    Task<StepRecord> RestoreAsync(StepRequest request, BeforeImage image, CancellationToken cancellationToken) =>
        CompensateAsync(request, cancellationToken);
}

/// <summary>What an activity asks a provider to do. Append-only contract.</summary>
public sealed record StepRequest
{
    public required string Tenant { get; init; }

    public required string ChangeId { get; init; }

    public required PlanStep Step { get; init; }

    /// <summary>The provider that runs the step (<c>target.provider</c>).</summary>
    public string Provider { get; init; } = "sandbox";

    public List<FaultSpec> Faults { get; init; } = [];

    /// <summary>
    /// Set on the compensations of a finished change's rollback that is not forced: a resource that no longer equals
    /// this change's after-image is left as it is (outcome <c>conflict</c>), never overwritten blindly. Null: no check.
    /// </summary>
    public bool? GuardAfterImage { get; init; }

    /// <summary>The key activities are idempotent by: <c>{change_id}/{step_id}</c>.</summary>
    public string ExecutionKey => $"{ChangeId}/{Step.Id}";
}

/// <summary>The record of a step a provider carried out (rc 0): the one shape every provider reports success in.</summary>
public static class StepRecords
{
    public static StepRecord Done(PlanStep step, DateTimeOffset started, string command, string outcome, string stdout) => new()
    {
        StepId = step.Id,
        Wave = step.Wave,
        Cmd = command,
        Rc = 0,
        Stdout = stdout,
        Outcome = outcome,
        StartedAt = started,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>A resource as the provider reads it back.</summary>
public sealed record ResourceState
{
    public required string Type { get; init; }

    public required string Name { get; init; }

    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary><c>healthy</c> or <c>unhealthy</c>.</summary>
    public required string Health { get; init; }

    public string? CreatedBy { get; init; }

    public int ApplyCount { get; init; }
}

/// <summary>The target refused a step: a permanent failure, not retried.</summary>
public sealed class StepFailedException(string stepId, int rc, string message)
    : Exception($"Step {stepId} failed (rc={rc}): {message}")
{
    public string StepId { get; } = stepId;

    public int Rc { get; } = rc;
}
