using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;
using UpmDurable.Providers;
using UpmDurable.Storage;

namespace UpmDurable.Workflows;

/// <summary>
/// Compensates one step from its before-image (docs/rollback.md): a finished change's rollback that is not forced
/// first leaves a resource changed since (conflict); a step without an image is undone as before (delete what this
/// change created); an image the provider cannot put back is reported <c>not_restorable</c>; else the provider restores.
/// </summary>
public sealed class StepRestore(IBeforeImageStore store)
{
    public async Task<StepRecord> RunAsync(IChangeProvider provider, StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        DateTimeOffset started = DateTimeOffset.UtcNow;
        BeforeImage? image = BeforeImageCapture.Captures(step) ? (await store.GetAsync(request.Tenant, request.ChangeId, step.Id, cancellationToken))?.Image : null;
        if (request.GuardAfterImage == true && BeforeImageCapture.Captures(step))
        {
            ResourceState? current = await provider.ReadAsync(request.Tenant, step.Resource, cancellationToken);
            if (RollbackActions.Conflict(step, image, current?.Fields) is { } conflict)
            {
                return StepRecords.Done(step, started, step.Rollback, StepOutcomes.Conflict, $"{conflict}; left as it is (a rollback with force overwrites it)");
            }
        }

        if (image is null)
        {
            return await provider.CompensateAsync(request, cancellationToken);
        }

        if (image is { Existed: true, NotRestorable: { } why })
        {
            return StepRecords.Done(step, started, step.Rollback, StepOutcomes.NotRestorable, $"{step.Type}/{step.Name} cannot be put back: {why}; left as it is");
        }

        return await provider.RestoreAsync(request, image, cancellationToken);
    }
}
