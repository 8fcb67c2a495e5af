using Microsoft.DurableTask;
using UpmDurable.Storage;
using UpmDurable.Workflows.Diagnostics;

namespace UpmDurable.Workflows.Activities;

/// <summary>Releases a change's locks; a completed change becomes the owner of its resources' intended state.</summary>
public sealed class ReleaseResourceLocks(ResourceLocks locks, ActivityFaults faults) : TaskActivity<LockRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, LockRequest input)
    {
        await faults.ThrowIfInjectedAsync(input.Tenant, input.ChangeId, "unlock");
        await locks.ReleaseAsync(input.Tenant, input.ChangeId, input.Resources.Select(r => r.ToKey()).ToList(), input.Owner);
        return true;
    }
}
