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
