using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Functions;

/// <summary>The orchestration trigger: delegates to the same <see cref="ChangeOrchestrator"/> the local host runs.</summary>
public sealed class ChangeOrchestration(WorkflowVersion version)
{
    [Function(nameof(ChangeOrchestrator))]
    public static Task<ChangeOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ChangeOrchestrator().RunAsync(context, context.GetInput<ChangeInput>()!);

    [Function(nameof(DriftMonitorOrchestrator))]
    public Task<DriftReport?> Monitor([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DriftMonitorOrchestrator(version).RunAsync(context, context.GetInput<DriftMonitorInput>()!);

    [Function(nameof(RollbackOrchestrator))]
    public static Task<ChangeOutcome> Rollback([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RollbackOrchestrator().RunAsync(context, context.GetInput<RollbackInput>()!);
}
