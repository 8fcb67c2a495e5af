using UpmDurable.Core.Model;

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

    /// <summary>
    /// Reads a step's resource just before applying it: the read its before-image keeps, handed to
    /// <see cref="ApplyAsync(StepRequest, StepRead, CancellationToken)"/> so the step reads its resource once.
    /// </summary>
    async Task<StepRead> ReadForApplyAsync(StepRequest request, CancellationToken cancellationToken) =>
        StepRead.Of(await ReadAsync(request.Tenant, request.Step.Resource, cancellationToken));

    /// <summary>
    /// Applies a step given <paramref name="read"/>, made for it by <see cref="ReadForApplyAsync"/> just before. A provider
    /// that decides from the current state starts from that read instead of reading again; the default reads again.
    /// </summary>
    Task<StepRecord> ApplyAsync(StepRequest request, StepRead read, CancellationToken cancellationToken) =>
        ApplyAsync(request, cancellationToken);

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
