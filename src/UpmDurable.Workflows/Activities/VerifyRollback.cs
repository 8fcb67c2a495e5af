using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Diagnostics;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 5: reads back every compensated resource after rollback: gone, kept (it existed before), or left behind.</summary>
public sealed class VerifyRollback(ProviderRegistry providers, ChangeStore changes, ActivityFaults faults) : TaskActivity<VerifyInput, List<RollbackReadBack>>
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
            readBacks.Add(states[i] switch
            {
                null => new RollbackReadBack(step.Id, $"{step.Type}/{step.Name}", "gone", "read-back after rollback found nothing"),
                { CreatedBy: var by } when by != input.ChangeId => new RollbackReadBack(step.Id, $"{step.Type}/{step.Name}", "kept",
                    $"existed before this change (created by {await changes.VisibleCreatorAsync(input.Tenant, by) ?? "someone else"}); left in place"),
                _ => new RollbackReadBack(step.Id, $"{step.Type}/{step.Name}", "left_behind", "created by this change and still present after rollback"),
            });
        }

        return readBacks;
    }
}
