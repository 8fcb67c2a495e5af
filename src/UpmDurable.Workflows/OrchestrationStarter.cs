using Microsoft.DurableTask.Client;

namespace UpmDurable.Workflows;

/// <summary>Starts an orchestration unless an instance of that id is already running: drift monitors and rollbacks.</summary>
public interface IOrchestrationStarter
{
    /// <summary>True when it started the instance; false when one with that id is running or pending.</summary>
    Task<bool> StartIfIdleAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken = default);

    /// <summary>Terminates the instance when it is running; true when it did.</summary>
    Task<bool> StopAsync(string instanceId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Where an instance stands: running (or pending, suspended), ended, or missing.</summary>
    Task<InstanceState> StateAsync(string instanceId, CancellationToken cancellationToken = default);
}

/// <summary>An orchestration instance's state as the janitor needs it: <see cref="Status"/> and, when it failed, why.</summary>
public sealed record InstanceState(string Status, string? Failure = null)
{
    public const string Missing = "missing";
    public const string Running = "running";

    /// <summary>True while the instance may still act (running, pending or suspended).</summary>
    public bool IsRunning => Status == Running;
}

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
