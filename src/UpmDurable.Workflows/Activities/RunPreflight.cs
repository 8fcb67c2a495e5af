using Microsoft.DurableTask;
using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 2: prerequisites, collisions, dry run, policy packs, change window and annotation — see <see cref="Preflight"/>.</summary>
public sealed class RunPreflight(Preflight preflight) : TaskActivity<PreflightInput, PreflightReport>
{
    public override Task<PreflightReport> RunAsync(TaskActivityContext context, PreflightInput input) => preflight.RunAsync(input);
}
