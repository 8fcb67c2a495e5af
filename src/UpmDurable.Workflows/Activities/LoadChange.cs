using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Activities;

/// <summary>Loads a change record for an orchestration that continues a finished change (post-completion rollback).</summary>
public sealed class LoadChange(ChangeStore changes) : TaskActivity<RollbackInput, ChangeRecord?>
{
    public override Task<ChangeRecord?> RunAsync(TaskActivityContext context, RollbackInput input) => changes.GetAsync(input.Tenant, input.ChangeId);
}
