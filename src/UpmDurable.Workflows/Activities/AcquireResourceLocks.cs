using Microsoft.DurableTask;
using UpmDurable.Storage;
using UpmDurable.Workflows.Diagnostics;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Takes the per-resource locks of a change, all or nothing; returns who holds the ones it could not take. A holder whose
/// orchestrations (the change's and its rollback's) no longer run is stale at once, where the host can ask the Durable
/// client (the local host; the Functions host relies on the janitor of the reconciliation sweep, every 5 minutes).
/// </summary>
public sealed class AcquireResourceLocks(ResourceLocks locks, ActivityFaults faults, IServiceProvider services) : TaskActivity<LockRequest, List<ResourceHolder>>
{
    public override async Task<List<ResourceHolder>> RunAsync(TaskActivityContext context, LockRequest input)
    {
        await faults.ThrowIfInjectedAsync(input.Tenant, input.ChangeId, "lock");
        IOrchestrationStarter? starter = services.GetService(typeof(IOrchestrationStarter)) as IOrchestrationStarter;
        return await locks.AcquireAsync(
            input.Tenant,
            input.ChangeId,
            input.Resources.Select(r => r.ToKey()).ToList(),
            starter is null ? null : (_, holder, ct) => HolderEndedAsync(starter, holder, ct));
    }

    static async Task<bool> HolderEndedAsync(IOrchestrationStarter starter, string holder, CancellationToken cancellationToken) =>
        !(await starter.StateAsync(holder, cancellationToken)).IsRunning
        && !(await starter.StateAsync(RollbackInput.InstanceIdFor(holder), cancellationToken)).IsRunning;
}
