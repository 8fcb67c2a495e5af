using UpmDurable.Core.Audit;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;
using UpmDurable.Workflows;
using UpmDurable.Api.Health;

namespace UpmDurable.Api;

// The shapes of the answers ChangeApi writes as anonymous objects, named so the OpenAPI document can describe them.
// A test compares real answers of the local host with these shapes: a field added to an answer must be added here.

/// <summary>GET /api/health.</summary>
public sealed record HealthReport(string Status, string Storage, DateTimeOffset Time, SortedDictionary<string, ProviderHealth> Providers, SortedDictionary<string, ProviderHealth> Webhooks, AuthHealth Auth);


/// <summary>POST /api/changes: the accepted (202) or idempotently repeated (200) change.</summary>
public sealed record ChangeAccepted(string ChangeId, string Status, string PlanHash, ChangeLinks Links);

/// <summary>Links of an accepted change.</summary>
public sealed record ChangeLinks(string Self, string Plan, string Approvals, string Evidence);

/// <summary>GET /api/changes: one page of the caller's tenant's changes.</summary>
public sealed record ChangeList(List<ChangeSummary> Changes, string? Continuation);

/// <summary>One change of <see cref="ChangeList"/>.</summary>
/// <see cref="Simulated"/>: true when nothing real ran (sandbox); absent for changes indexed before the field existed.
public sealed record ChangeSummary(string ChangeId, string Status, string Phase, string Initiator, DateTimeOffset SubmittedAt, DateTimeOffset UpdatedAt, string? PlanHash, string? Request, bool? Simulated = null);

/// <summary>POST /api/plans: the dry run.</summary>
public sealed record DryRunResult(
    Plan Plan,
    PlanAnnotation? Annotation,
    DryRunSimulation Simulation,
    DryRunPreflight Preflight,
    List<PlanVariant> Variants,
    List<RollbackStep> RollbackPlan,
    string Graph,
    bool Simulated = false);

/// <summary>
/// What applying the plan would do, by step id (<see cref="Change"/> lists the updates); <see cref="Steps"/> give each
/// step's action and field changes; <see cref="Summary"/> is the Terraform-style count line.
/// </summary>
public sealed record DryRunSimulation(List<string> Create, List<string> Change, List<string> Unchanged, List<DryRunEntry> Steps, List<string>? Delete = null, string? Summary = null);

/// <summary>
/// The pre-flight outcome of a dry run: checks, policy, window, the approvals policy asks, the steps that adopt a resource
/// the service did not create, and the steps rollback cannot restore (with why).
/// </summary>
public sealed record DryRunPreflight(bool Ok, List<PreflightCheck> Checks, PolicyReport? Policy, WindowStatus? Window, ApprovalRequirement? Approvals = null, List<string>? Adoptions = null, Dictionary<string, string>? Irreversible = null);

/// <summary>POST /api/changes/{id}/approvals: the decision was accepted and raised to the orchestration.</summary>
public sealed record ApprovalAccepted(string ChangeId, string Decision, string Approver, string Channel, string PlanHash, DateTimeOffset AcceptedAt, string? ApproverName = null);

/// <summary>POST /api/changes/{id}/pause|resume|abort|rollback: the command was accepted and raised to the orchestration.</summary>
public sealed record OperatorAccepted(string ChangeId, string Action, string By, string? Reason, DateTimeOffset AcceptedAt, string? ByName = null);

/// <summary>GET /api/evidence/public-key.</summary>
public sealed record EvidencePublicKey(string KeyId, string Algorithm, string PublicKeyPem);

/// <summary>
/// GET /api/kpis. <see cref="Changes"/> counts every change in the window; <see cref="Kpis"/> are computed over real-provider
/// changes only (the same as <see cref="Real"/>); <see cref="Simulated"/> holds the sandbox's (docs/simulated-runs.md).
/// </summary>
public sealed record KpiResponse(string Tenant, DateTimeOffset Since, int Changes, List<Kpi> Kpis, KpiSection? Real = null, KpiSection? Simulated = null);

/// <summary>
/// GET /api/scorecard. Levels, gates and the row's KPIs rest on real-provider changes only; <see cref="LevelsBasis"/> is
/// <c>no_data</c> when there were none. <see cref="Real"/> and <see cref="Simulated"/> give each side's count and KPIs.
/// </summary>
public sealed record ScorecardResponse(string Tenant, DateTimeOffset Since, int Changes, ScorecardRow Scorecard, ScorecardFacts Facts, KpiSection? Real = null, KpiSection? Simulated = null, string? LevelsBasis = null);

/// <summary>POST /api/webhooks/approvals/{provider}: the body depends on the provider (see docs/webhooks.md); any JSON object.</summary>
public sealed record WebhookPayload;

/// <summary>POST /api/webhooks/approvals/{provider}: a verified event that decides nothing here (a ping, a comment-only review), acknowledged so the sender does not retry.</summary>
public sealed record WebhookIgnored(string Provider, string Ignored);

/// <summary>GET /api/changes/{id}/evidence/verify (same as <see cref="EvidenceVerification"/>, named for the document).</summary>
public sealed record EvidenceVerificationResult(bool Ok, int Records, int? FirstBadRecord, string? Problem, string? ChainHead);
