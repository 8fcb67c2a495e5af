namespace UpmDurable.Core.Model;

/// <summary>Result of pre-flight checks and the dry run.</summary>
public sealed record PreflightReport
{
    public required bool Ok { get; init; }

    public required List<PreflightCheck> Checks { get; init; }

    /// <summary>What applying the plan would do to each resource (<see cref="PlanActions"/>) and its field changes.</summary>
    public required List<DryRunEntry> DryRun { get; init; }

    /// <summary>Policy-pack results: every violation with its rule id; any deny fails pre-flight.</summary>
    public PolicyReport? Policy { get; init; }

    /// <summary>The change window at pre-flight time, when the change names a calendar.</summary>
    public WindowStatus? Window { get; init; }

    /// <summary>Who/why/when, impact notes, cost estimate and risk score.</summary>
    public PlanAnnotation? Annotation { get; init; }

    /// <summary>How many approvals this change needs after policy (two-person rule, auto-approval lane), and why.</summary>
    public ApprovalRequirement? Approval { get; init; }

    /// <summary>Steps that take over an existing resource the service did not create (<c>adopt: true</c>), recorded in the evidence.</summary>
    public List<string>? Adoptions { get; init; }

    /// <summary>Steps whose resource rollback cannot restore (the provider's reason by step id); policy may ask more approvals.</summary>
    public Dictionary<string, string>? Irreversible { get; init; }
}
