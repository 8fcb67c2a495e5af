namespace UpmDurable.Core.Model;

/// <summary>Where a change applies and what it creates.</summary>
public sealed record ChangeTarget
{
    public string? Cloud { get; init; }

    public string? Provider { get; init; }

    public string? ClusterEndpointId { get; init; }

    public List<ResourceSpec>? Resources { get; init; }

    /// <summary>Sandbox fault injection: make a resource fail at apply, or be unhealthy at verify.</summary>
    public List<FaultSpec>? Faults { get; init; }
}
