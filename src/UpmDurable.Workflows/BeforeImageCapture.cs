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

    /// <summary>
    /// Reads the step's resource (<see cref="IChangeProvider.ReadForApplyAsync"/>) and keeps its image, or finds the first
    /// capture of it; answers the sha256 of the stored image and the read, which the apply then starts from. A step
    /// without an image (<see cref="Captures"/>) reads nothing here.
    /// </summary>
    public async Task<CapturedImage> CaptureAsync(IChangeProvider provider, StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (!Captures(step))
        {
            return new CapturedImage(null, null);
        }

        // Read, then keep write-once: on a retried attempt the read sees this step's own after-state, and KeepFirstAsync
        // answers the image the first attempt stored instead (one storage call fewer per step than looking first).
        StepRead read = await provider.ReadForApplyAsync(request, cancellationToken);
        ResourceState? current = read.State;
        BeforeImage image = BeforeImages.Of(step, current is not null, current?.Fields, current?.CreatedBy, clock.GetUtcNow(), provider.NotRestorable(step, current));
        return new CapturedImage((await store.KeepFirstAsync(request.Tenant, request.ChangeId, image, cancellationToken)).Sha256, read);
    }
}
