using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Activities;

/// <summary>Loads a change record for an orchestration that continues a finished change (post-completion rollback).</summary>
public sealed class LoadChange(ChangeStore changes) : TaskActivity<RollbackInput, ChangeRecord?>
{
    public override Task<ChangeRecord?> RunAsync(TaskActivityContext context, RollbackInput input) => changes.GetAsync(input.Tenant, input.ChangeId);
}
