using Microsoft.DurableTask;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Activities;

/// <summary>Takes the per-resource locks of a change, all or nothing; returns who holds the ones it could not take.</summary>
public sealed class AcquireResourceLocks(ResourceLocks locks) : TaskActivity<LockRequest, List<ResourceHolder>>
{
    public override Task<List<ResourceHolder>> RunAsync(TaskActivityContext context, LockRequest input) =>
        locks.AcquireAsync(input.Tenant, input.ChangeId, input.Resources.Select(r => new ResourceKey(r.Provider, r.Type, r.Name)).ToList());
}

/// <summary>Releases a change's locks; a completed change becomes the owner of its resources' intended state.</summary>
public sealed class ReleaseResourceLocks(ResourceLocks locks) : TaskActivity<LockRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, LockRequest input)
    {
        await locks.ReleaseAsync(input.Tenant, input.ChangeId, input.Resources.Select(r => new ResourceKey(r.Provider, r.Type, r.Name)).ToList(), input.Owner);
        return true;
    }
}
