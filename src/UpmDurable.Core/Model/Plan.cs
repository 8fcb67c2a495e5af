namespace UpmDurable.Core.Model;

/// <summary>A deterministic plan: ordered steps in waves, explicit commands, idempotency keys, rollback plan and hash. Append-only contract.</summary>
public sealed record Plan
{
    /// <summary><c>sha256:</c> of the canonical JSON of the plan without this field.</summary>
    public string PlanHash { get; init; } = string.Empty;

    public required List<PlanStep> Steps { get; init; }

    /// <summary>Step ids per wave: every step's dependencies are in earlier waves.</summary>
    public required List<List<string>> Waves { get; init; }

    /// <summary>The explicit commands in execution order.</summary>
    public required List<string> Commands { get; init; }

    /// <summary>Inverse steps in reverse order.</summary>
    public required List<RollbackStep> RollbackPlan { get; init; }

    public required List<ResourceNeed> ResourcesNeeded { get; init; }

    public required List<string> Approvals { get; init; }
}

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

/// <summary>One compensating step of the rollback plan.</summary>
public sealed record RollbackStep(string StepId, string Command);
