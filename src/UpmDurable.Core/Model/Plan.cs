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
