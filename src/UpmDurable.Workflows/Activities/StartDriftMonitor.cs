using Microsoft.DurableTask;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Activities;

/// <summary>Starts the drift monitor of a change unless it is already running.</summary>
public sealed class StartDriftMonitor(IOrchestrationStarter starter) : TaskActivity<DriftMonitorInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, DriftMonitorInput input) =>
        starter.StartIfIdleAsync(nameof(DriftMonitorOrchestrator), DriftMonitorInput.InstanceIdFor(input.ChangeId), input);
}
