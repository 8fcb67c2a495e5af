using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 2: checks prerequisites (quotas, resources that must exist) and dry-runs the plan against the provider's current state.</summary>
public sealed class RunPreflight(ProviderRegistry providers) : TaskActivity<PreflightInput, PreflightReport>
{
    public override async Task<PreflightReport> RunAsync(TaskActivityContext context, PreflightInput input)
    {
        IChangeProvider provider = providers.Get(input.Provider);
        var checks = new List<PreflightCheck>();
        foreach (ResourceNeed need in input.Plan.ResourcesNeeded)
        {
            if (need.Type == "quota")
            {
                int available = await provider.QuotaAvailableAsync(input.Tenant, need.Name!, need.Location!, CancellationToken.None);
                bool ok = available >= need.Min;
                checks.Add(new PreflightCheck("quota", $"{need.Name}@{need.Location}", ok, ok
                    ? $"quota {need.Name} in {need.Location}: {available} available, {need.Min} needed"
                    : $"Missing prerequisite: quota {need.Name} in {need.Location} has {available} available but {need.Min} are needed; request a quota increase or lower the requirement."));
            }
            else
            {
                ResourceState? state = await provider.ReadAsync(input.Tenant, need.Type!, need.Name!, CancellationToken.None);
                checks.Add(new PreflightCheck("existence", $"{need.Type}/{need.Name}", state is not null, state is not null
                    ? $"{need.Type} '{need.Name}' exists"
                    : $"Missing prerequisite: {need.Type} '{need.Name}' does not exist in tenant {input.Tenant}; create it first or add it to this change."));
            }
        }

        var dryRun = new List<DryRunEntry>();
        foreach (PlanStep step in input.Plan.Steps)
        {
            ResourceState? current = await provider.ReadAsync(input.Tenant, step.Type, step.Name, CancellationToken.None);
            string action = current is null ? "create" : current.Fields.SequenceEqual(ResourceFields.Of(step.Resource)) ? "unchanged" : "update";
            dryRun.Add(new DryRunEntry(step.Id, action, step.Command));
        }

        checks.Add(new PreflightCheck("dry_run", "plan", true, $"dry run: {dryRun.Count(d => d.Action == "create")} to create, {dryRun.Count(d => d.Action == "update")} to change, {dryRun.Count(d => d.Action == "unchanged")} unchanged"));
        return new PreflightReport { Ok = checks.All(c => c.Ok), Checks = checks, DryRun = dryRun };
    }
}
