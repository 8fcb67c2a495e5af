using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>The record of a change as GET /api/changes/{id} returns it: every phase's outcome and the audit trace. Append-only contract.</summary>
public sealed record ChangeRecord
{
    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>The submitter's stable id (Entra object id or API-key principal): what identity rules compare.</summary>
    public required string Initiator { get; init; }

    /// <summary>The submitter's display name, shown beside <see cref="Initiator"/>; never compared.</summary>
    public string? InitiatorName { get; init; }

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

    /// <summary>
    /// True when nothing real ran: every step is on a simulated provider (the sandbox). Computed from the intent by
    /// <see cref="SimulatedRuns"/>, never stored as a decision, so records written before the field existed answer it too.
    /// </summary>
    public bool Simulated => SimulatedRuns.IsSimulated(this);

    /// <summary>
    /// The orchestration version the change runs at (fixed when it started; docs/versioning.md). Absent for a change started
    /// before versioning.
    /// </summary>
    public string? OrchestrationVersion { get; init; }
}

/// <summary>
/// An operator's command to a running change (pause, resume, abort), with who (id, and the display name beside it) and why.
/// Append-only contract.
/// </summary>
public sealed record OperatorCommand(string Action, string By, string? Reason, DateTimeOffset At, string? ByName = null);

/// <summary>One line of the audit trace.</summary>
public sealed record AuditEntry(DateTimeOffset Ts, string Phase, string Msg);

/// <summary>The head of a change's evidence hash chain: how many records, and the hash of the last.</summary>
public sealed record EvidenceHead(int Records, string? ChainHead);

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

/// <summary>
/// The approvals a change needs once policy is applied: a count, whether the auto-approval lane took it, and why.
/// <see cref="Rule"/> names the policy rule that set the requirement; <see cref="Groups"/> are the policy's approver groups
/// (at least <see cref="PolicyMinimum"/> counted approvers must come from them); <see cref="AddedGroups"/> are groups the
/// request added, each of which must also sign. Append-only contract.
/// </summary>
public sealed record ApprovalRequirement(
    int Required,
    bool AutoApproved,
    string Reason,
    string? Rule = null,
    List<string>? Groups = null,
    int PolicyMinimum = 0,
    List<string>? AddedGroups = null)
{
    /// <summary>Every group whose members may approve: the policy's, then the ones the request added.</summary>
    public List<string> EligibleGroups => [.. (Groups ?? []).Concat(AddedGroups ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Whether the counted approvals meet the requirement: enough distinct approvers, at least the policy minimum of them
    /// from the policy's groups, and every group the request added represented.
    /// </summary>
    public bool IsMetBy(IEnumerable<ApprovalDecision> counted)
    {
        if (AutoApproved)
        {
            return true;
        }

        var approvals = counted.Where(d => d.Decision == "approve" && d.RefusedBecause is null).GroupBy(d => d.Approver, ApprovalRules.SamePerson).Select(g => g.First()).ToList();
        List<string> policyGroups = Groups ?? [];
        int fromPolicyGroups = policyGroups.Count == 0 ? approvals.Count : approvals.Count(d => d.Groups.Intersect(policyGroups, StringComparer.Ordinal).Any());
        return approvals.Count >= Math.Max(1, Required)
            && fromPolicyGroups >= PolicyMinimum
            && (AddedGroups ?? []).All(g => approvals.Any(d => d.Groups.Contains(g, StringComparer.Ordinal)));
    }
}

/// <summary>One pre-flight check and its actionable message.</summary>
public sealed record PreflightCheck(string Type, string Target, bool Ok, string Message);

/// <summary>
/// What the dry run expects for one step: the <see cref="PlanActions"/> word, the command, and the field-level
/// changes from the provider's current state to the plan's intended state (empty for <c>unchanged</c>).
/// </summary>
public sealed record DryRunEntry(string StepId, string Action, string Command, List<FieldChange>? Changes = null);

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

    /// <summary>The policy rule that set the requirement (an approval rule, the auto-approval lane, or the built-in floor).</summary>
    public string? Rule { get; init; }

    /// <summary>The least number of counted approvers from the policy's groups.</summary>
    public int PolicyMinimum { get; init; }

    /// <summary>What the request asked for in <c>approvals.required</c> (null: nothing); below the policy's minimum it was raised to it.</summary>
    public int? Requested { get; init; }

    /// <summary>Groups the request added: each needs one approver of its own.</summary>
    public List<string> AddedGroups { get; init; } = [];

    /// <summary>Refused attempts not recorded one by one (repeats of a recorded one, or past the per-change cap).</summary>
    public int RefusedNotRecorded { get; init; }
}

/// <summary>An approval decision as it reaches the orchestration (external event). Append-only contract.</summary>
public sealed record ApprovalDecision
{
    /// <summary>The approver's stable id: separation of duties and duplicates compare it.</summary>
    public required string Approver { get; init; }

    /// <summary>The approver's display name, shown beside <see cref="Approver"/>; never compared.</summary>
    public string? ApproverName { get; init; }

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

    /// <summary>For a refused attempt: the rule it broke (<see cref="ApprovalRefusalKind"/> name), the key of deduplication.</summary>
    public string? RefusalKind { get; init; }

    /// <summary>For a refused attempt: how many attempts of the same principal broke the same rule on this change.</summary>
    public int Attempts { get; init; } = 1;
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

    /// <summary>
    /// <c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>deleted</c>, <c>absent</c>, <c>kept</c> or <c>failed</c>; <c>pending</c>
    /// only between an activity and the orchestration (see <see cref="Pending"/>), never in a change record.
    /// </summary>
    public required string Outcome { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Set (outcome <c>pending</c>) when the target is still carrying the step out: the orchestration polls it to its end.</summary>
    public PendingOperation? Pending { get; init; }

    /// <summary>True when no process ran: a simulated provider (the sandbox) played the step. Absent on real steps.</summary>
    public bool? Simulated { get; init; }

    /// <summary>On a simulated step, the command a real run would have run (<see cref="Cmd"/> then starts with <c>simulated: </c>).</summary>
    public string? WouldRun { get; init; }

    /// <summary>Set when the step waited for its provider's rate limit before it ran (docs/rate-limits.md); absent when it did not wait.</summary>
    public RateLimitWait? RateLimited { get; init; }

    /// <summary>sha256 of the step's stored before-image (docs/rollback.md): binds it to the evidence chain. Absent without one.</summary>
    public string? BeforeImageSha256 { get; init; }
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

    /// <summary>True when the operator forced the rollback of a finished change over resources changed since (conflicts).</summary>
    public bool? Forced { get; init; }
}

/// <summary>
/// A resource read back after rollback. <c>state</c>: <c>gone</c>, <c>kept</c> (existed before), <c>left_behind</c>,
/// <c>restored</c> (fields equal its before-image), <c>recreated</c>, <c>not_restored</c> (differs from its before-image).
/// </summary>
public sealed record RollbackReadBack(string StepId, string Resource, string State, string Message);

/// <summary>One health-gate probe of a wave.</summary>
public sealed record HealthProbe(int Wave, int Healthy, int Total, double HealthyPercent, List<string> Unhealthy, DateTimeOffset At)
{
    public bool Passes(int minHealthyPercent) => HealthyPercent >= minHealthyPercent;
}
