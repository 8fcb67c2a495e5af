using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>The record of a change as GET /api/changes/{id} returns it: every phase's outcome and the audit trace. Append-only contract.</summary>
public sealed record ChangeRecord
{
    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    public required string Initiator { get; init; }

    public required string Status { get; init; }

    public required string Phase { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public required ChangeSpec Intent { get; init; }

    /// <summary>When each phase started, by phase name.</summary>
    public Dictionary<string, DateTimeOffset> PhaseStartedAt { get; init; } = [];

    public Plan? Plan { get; init; }

    public PreflightReport? Preflight { get; init; }

    public ApprovalState Approvals { get; init; } = new();

    public ExecutionReport Execution { get; init; } = new();

    public VerifyReport? Verification { get; init; }

    public RollbackReport Rollback { get; init; } = new();

    public List<AuditEntry> AuditTrace { get; init; } = [];

    /// <summary>Operator commands received (pause, resume, abort), in order.</summary>
    public List<OperatorCommand> OperatorCommands { get; init; } = [];

    public EvidenceHead Evidence { get; init; } = new(0, null);

    /// <summary>Why the change ended without completing, when it did.</summary>
    public string? Reason { get; init; }
}

/// <summary>An operator's command to a running change (pause, resume, abort), with who and why. Append-only contract.</summary>
public sealed record OperatorCommand(string Action, string By, string? Reason, DateTimeOffset At);

/// <summary>One line of the audit trace.</summary>
public sealed record AuditEntry(DateTimeOffset Ts, string Phase, string Msg);

/// <summary>The head of a change's evidence hash chain: how many records, and the hash of the last.</summary>
public sealed record EvidenceHead(int Records, string? ChainHead);

/// <summary>Result of pre-flight checks and the dry run.</summary>
public sealed record PreflightReport
{
    public required bool Ok { get; init; }

    public required List<PreflightCheck> Checks { get; init; }

    /// <summary>What applying the plan would do to each resource: <c>create</c>, <c>update</c> or <c>unchanged</c>.</summary>
    public required List<DryRunEntry> DryRun { get; init; }

    /// <summary>Policy-pack results: every violation with its rule id; any deny fails pre-flight.</summary>
    public PolicyReport? Policy { get; init; }

    /// <summary>The change window at pre-flight time, when the change names a calendar.</summary>
    public WindowStatus? Window { get; init; }

    /// <summary>Who/why/when, impact notes, cost estimate and risk score.</summary>
    public PlanAnnotation? Annotation { get; init; }

    /// <summary>How many approvals this change needs after policy (two-person rule, auto-approval lane), and why.</summary>
    public ApprovalRequirement? Approval { get; init; }
}

/// <summary>The approvals a change needs once policy is applied: a count, whether the auto-approval lane took it, and why.</summary>
public sealed record ApprovalRequirement(int Required, bool AutoApproved, string Reason);

/// <summary>The approval policy. Configuration section <c>Upm:Approvals</c>.</summary>
public sealed class ApprovalPolicyOptions
{
    public const string Section = "Upm:Approvals";

    /// <summary>At or above this risk score a change needs at least two distinct approvers.</summary>
    public int TwoPersonRiskThreshold { get; set; } = 60;

    /// <summary>The auto-approval lane: changes asking for at most one approval, under these limits and inside their window.</summary>
    public bool AutoApproveEnabled { get; set; } = true;

    public int AutoApproveMaxRisk { get; set; } = 25;

    public int AutoApproveMaxSteps { get; set; } = 3;

    /// <summary>Applies the policy to a change's request and annotation.</summary>
    public ApprovalRequirement Decide(ChangeSpec spec, PlanAnnotation annotation, int steps, bool windowOpen)
    {
        if (annotation.RiskScore >= TwoPersonRiskThreshold)
        {
            int required = Math.Max(2, spec.ApprovalsRequired);
            return new ApprovalRequirement(required, false, $"two-person rule: risk {annotation.RiskScore} is at or above {TwoPersonRiskThreshold}; {required} distinct approvers");
        }

        if (AutoApproveEnabled && spec.ApprovalsRequired <= 1 && annotation.RiskScore < AutoApproveMaxRisk && steps <= AutoApproveMaxSteps && windowOpen)
        {
            return new ApprovalRequirement(0, true, $"auto-approval lane: risk {annotation.RiskScore} < {AutoApproveMaxRisk}, {steps} step(s) <= {AutoApproveMaxSteps}, inside the change window");
        }

        return new ApprovalRequirement(spec.ApprovalsRequired, false, spec.ApprovalsRequired == 0 ? "the request asks for no approvals" : $"{spec.ApprovalsRequired} approval(s) as requested");
    }
}

/// <summary>One pre-flight check and its actionable message.</summary>
public sealed record PreflightCheck(string Type, string Target, bool Ok, string Message);

/// <summary>What the dry run expects for one step.</summary>
public sealed record DryRunEntry(string StepId, string Action, string Command);

/// <summary>Approval state: the policy, the decisions that counted, and the attempts that were refused.</summary>
public sealed record ApprovalState
{
    public List<string> Groups { get; init; } = [];

    public int Required { get; init; }

    public DateTimeOffset? Deadline { get; init; }

    public List<ApprovalDecision> Decisions { get; init; } = [];

    public List<ApprovalDecision> Refused { get; init; } = [];

    /// <summary>The plan hash the approvals bind to.</summary>
    public string? PlanHash { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>auto_approved</c>, <c>rejected</c> or <c>expired</c>.</summary>
    public string Outcome { get; init; } = "pending";
}

/// <summary>An approval decision as it reaches the orchestration (external event). Append-only contract.</summary>
public sealed record ApprovalDecision
{
    public required string Approver { get; init; }

    /// <summary><c>approve</c> or <c>reject</c>.</summary>
    public required string Decision { get; init; }

    public required string PlanHash { get; init; }

    public string? Comment { get; init; }

    /// <summary>How it arrived: <c>api</c>, or a webhook provider.</summary>
    public required string Channel { get; init; }

    public List<string> Groups { get; init; } = [];

    public DateTimeOffset At { get; init; }

    /// <summary>Set when the decision was refused: why.</summary>
    public string? RefusedBecause { get; init; }
}

/// <summary>Execution: each step's record, in the spec's shape.</summary>
public sealed record ExecutionReport
{
    public string Agent { get; init; } = "agent-session";

    public List<string> PipeAllowList { get; init; } = [.. Canonicals.DefaultPipeAllowList];

    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>Health-gate probes after each wave.</summary>
    public List<HealthProbe> HealthGates { get; init; } = [];
}

/// <summary>The record of one executed (or compensated) step.</summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }

    public required int Wave { get; init; }

    public required string Cmd { get; init; }

    public required int Rc { get; init; }

    public string? Stdout { get; init; }

    public bool StderrTrunc { get; init; }

    public string? Stderr { get; init; }

    /// <summary><c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>deleted</c>, <c>absent</c>, <c>kept</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary>The verify report: per-resource health and the diff between intended and actual state.</summary>
public sealed record VerifyReport
{
    public required bool Ok { get; init; }

    public required List<VerifyCheck> Checks { get; init; }

    public required List<DiffEntry> Diff { get; init; }

    /// <summary><c>sha256:</c> of the canonical verified state: the drift baseline.</summary>
    public required string BaselineHash { get; init; }

    public long LatencyMs { get; init; }
}

/// <summary>One verification check.</summary>
public sealed record VerifyCheck(string Type, string Target, bool Ok, string Message);

/// <summary>One difference between the intended and the read-back state.</summary>
public sealed record DiffEntry(string Resource, string Field, string? Intended, string? Actual);

/// <summary>The rollback plan and what running it did.</summary>
public sealed record RollbackReport
{
    public bool Available { get; init; }

    public List<string> Plan { get; init; } = [];

    public bool Executed { get; init; }

    public string? Trigger { get; init; }

    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>When the failure that triggered the rollback was detected (MTTR starts here).</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>When the read-backs after rollback were done (MTTR ends here).</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>Read-back of every compensated resource after rollback: gone, or kept because it existed before.</summary>
    public List<RollbackReadBack> ReadBacks { get; init; } = [];

    /// <summary>Resources this change created that are still there after rollback.</summary>
    public List<string> LeftBehind { get; init; } = [];

    /// <summary>Who asked for the rollback of a finished change, and why.</summary>
    public string? RequestedBy { get; init; }
}

/// <summary>A resource read back after rollback. <c>state</c>: <c>gone</c>, <c>kept</c> (existed before), <c>left_behind</c>.</summary>
public sealed record RollbackReadBack(string StepId, string Resource, string State, string Message);

/// <summary>One health-gate probe of a wave.</summary>
public sealed record HealthProbe(int Wave, int Healthy, int Total, double HealthyPercent, List<string> Unhealthy, DateTimeOffset At)
{
    public bool Passes(int minHealthyPercent) => HealthyPercent >= minHealthyPercent;
}
