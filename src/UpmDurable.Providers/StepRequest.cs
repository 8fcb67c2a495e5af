using UpmDurable.Core.Model;

namespace UpmDurable.Providers;

/// <summary>What an activity asks a provider to do. Append-only contract.</summary>
public sealed record StepRequest
{
    public required string Tenant { get; init; }

    public required string ChangeId { get; init; }

    public required PlanStep Step { get; init; }

    /// <summary>The provider that runs the step (<c>target.provider</c>).</summary>
    public string Provider { get; init; } = "sandbox";

    public List<FaultSpec> Faults { get; init; } = [];

    /// <summary>
    /// Set on the compensations of a finished change's rollback that is not forced: a resource that no longer equals
    /// this change's after-image is left as it is (outcome <c>conflict</c>), never overwritten blindly. Null: no check.
    /// </summary>
    public bool? GuardAfterImage { get; init; }

    /// <summary>The key activities are idempotent by: <c>{change_id}/{step_id}</c>.</summary>
    public string ExecutionKey => $"{ChangeId}/{Step.Id}";
}
