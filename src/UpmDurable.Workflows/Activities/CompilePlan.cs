using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Phase 1: compiles the validated change into its deterministic plan.</summary>
public sealed class CompilePlan : TaskActivity<ChangeSpec, Plan>
{
    public override Task<Plan> RunAsync(TaskActivityContext context, ChangeSpec input)
    {
        // The change id is the orchestration's instance id.
        using Activity? span = UpmTelemetry.Start("upm.compile_plan", context.InstanceId, input.Tenant, Phases.Plan);
        span?.SetTag(UpmTelemetry.Attributes.Provider, input.Provider);
        Plan plan = PlanCompiler.Compile(input);
        span?.SetTag(UpmTelemetry.Attributes.Steps, plan.Steps.Count);
        span?.SetTag(UpmTelemetry.Attributes.Outcome, "ok");
        return Task.FromResult(plan);
    }
}
