using Microsoft.DurableTask.Client;

namespace UpmDurable.Workflows;

/// <summary>The starter over a Durable Task client (the local host's client, or a Functions [DurableClient] binding).</summary>
public sealed class DurableClientStarter(DurableTaskClient client) : IOrchestrationStarter
{
    public async Task<bool> StartIfIdleAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            return false;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), cancellationToken);
        return true;
    }

    public async Task<InstanceState> StateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        return instance switch
        {
            null => new InstanceState(InstanceState.Missing),
            { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended } => new InstanceState(InstanceState.Running),
            _ => new InstanceState(instance.RuntimeStatus.ToString().ToLowerInvariant(), instance.FailureDetails?.ErrorMessage),
        };
    }

    public async Task<bool> StopAsync(string instanceId, string reason, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            return false;
        }

        await client.TerminateInstanceAsync(instanceId, reason, cancellationToken);
        return true;
    }
}
