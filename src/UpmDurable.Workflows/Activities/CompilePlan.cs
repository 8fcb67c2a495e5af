using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 1: compiles the validated change into its deterministic plan.</summary>
public sealed class CompilePlan : TaskActivity<ChangeSpec, Plan>
{
    public override Task<Plan> RunAsync(TaskActivityContext context, ChangeSpec input) => Task.FromResult(PlanCompiler.Compile(input));
}
