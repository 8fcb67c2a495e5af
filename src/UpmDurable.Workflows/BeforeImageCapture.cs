using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;
using UpmDurable.Providers;
using UpmDurable.Storage;

namespace UpmDurable.Workflows;

/// <summary>
/// Reads a step's resource before the step writes and keeps that image write-once (docs/rollback.md). A step is not
/// applied without its image: a failed read or write fails the attempt, and the activity's retry tries again.
/// </summary>
public sealed class BeforeImageCapture(IBeforeImageStore store, TimeProvider clock)
{
    /// <summary>Whether a step has a before-image: every resource step; a <c>command</c> step has no readable state.</summary>
    public static bool Captures(PlanStep step) => step.Type != Command.Type;

    /// <summary>Captures (or finds the first capture of) the step's image; answers the sha256 of its stored bytes, or null when the step has none.</summary>
    public async Task<string?> CaptureAsync(IChangeProvider provider, StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (!Captures(step))
        {
            return null;
        }

        // Read, then keep write-once: on a retried attempt the read sees this step's own after-state, and KeepFirstAsync
        // answers the image the first attempt stored instead (one storage call fewer per step than looking first).
        ResourceState? current = await provider.ReadAsync(request.Tenant, step.Resource, cancellationToken);
        BeforeImage image = BeforeImages.Of(step, current is not null, current?.Fields, current?.CreatedBy, clock.GetUtcNow(), provider.NotRestorable(step, current));
        return (await store.KeepFirstAsync(request.Tenant, request.ChangeId, image, cancellationToken)).Sha256;
    }
}
