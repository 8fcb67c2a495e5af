using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Diagnostics;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Phase 5: reads back every compensated resource after rollback: gone, kept (it existed before, no image), left behind,
/// or — against its before-image — restored / re-created (fields equal the image) or not restored.
/// </summary>
public sealed class VerifyRollback(ProviderRegistry providers, ChangeStore changes, IBeforeImageStore images, ActivityFaults faults) : TaskActivity<VerifyInput, List<RollbackReadBack>>
{
    public override async Task<List<RollbackReadBack>> RunAsync(TaskActivityContext context, VerifyInput input)
    {
        await faults.ThrowIfInjectedAsync(input.Tenant, input.ChangeId, "read_back");
        using CancellationTokenSource budget = ActivityBudget.Start();
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(providers.Get(input.Provider), input.Tenant, input.Steps, budget.Token);
        var readBacks = new List<RollbackReadBack>();
        for (int i = 0; i < input.Steps.Count; i++)
        {
            PlanStep step = input.Steps[i];
            string resource = $"{step.Type}/{step.Name}";
            BeforeImage? image = BeforeImageCapture.Captures(step) ? (await images.GetAsync(input.Tenant, input.ChangeId, step.Id, budget.Token))?.Image : null;
            if (image is { Existed: true })
            {
                readBacks.Add(AgainstImage(step, resource, image, states[i]));
                continue;
            }

            readBacks.Add(states[i] switch
            {
                null => new RollbackReadBack(step.Id, resource, "gone", "read-back after rollback found nothing"),
                { CreatedBy: var by } when by != input.ChangeId => new RollbackReadBack(step.Id, resource, "kept",
                    $"existed before this change (created by {await changes.VisibleCreatorAsync(input.Tenant, by) ?? "someone else"}); left in place"),
                _ => new RollbackReadBack(step.Id, resource, "left_behind", "created by this change and still present after rollback"),
            });
        }

        return readBacks;
    }

    // Proof by the one comparison rule: the fields read now equal what the image says they were (masked fields aside).
    static RollbackReadBack AgainstImage(PlanStep step, string resource, BeforeImage image, ResourceState? state)
    {
        if (state is null)
        {
            return new RollbackReadBack(step.Id, resource, "not_restored", "existed before this change but read-back after rollback found nothing");
        }

        List<FieldChange> differ = FieldDiff.Between(BeforeImages.RestoreTarget(image, state.Fields), state.Fields);
        if (differ.Count > 0)
        {
            return new RollbackReadBack(step.Id, resource, "not_restored", $"differs from its before-image: {string.Join(", ", differ.Select(d => d.Field))}");
        }

        return Ensures.IsAbsent(step.Resource)
            ? new RollbackReadBack(step.Id, resource, "recreated", "deleted by this change; read-back after rollback finds it re-created with its before-image's fields")
            : new RollbackReadBack(step.Id, resource, "restored", "read-back after rollback equals its before-image");
    }
}
