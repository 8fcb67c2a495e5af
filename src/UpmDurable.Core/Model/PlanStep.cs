namespace UpmDurable.Core.Model;

/// <summary>One step: apply one resource.</summary>
public sealed record PlanStep
{
    /// <summary><c>{type}/{name}</c>, unique in the plan.</summary>
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required int Wave { get; init; }

    public required List<string> DependsOn { get; init; }

    public required string Command { get; init; }

    public required string ReadBack { get; init; }

    public required string HealthCheck { get; init; }

    public required string Rollback { get; init; }

    /// <summary>Stable key of what this step does (tenant, type, name and intended state).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The intended state, with catalog defaults applied.</summary>
    public required ResourceSpec Resource { get; init; }
}
