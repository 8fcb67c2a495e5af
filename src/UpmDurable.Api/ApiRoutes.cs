using UpmDurable.Core.Model;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Api;

/// <summary>The routes of docs/contract/api.md, plus the API description and the dashboard.</summary>
public static class ApiRoutes
{
    static readonly ApiParameter Since = new("since", "query", "ISO-8601 date or time; default: 30 days ago.");

    /// <summary>Every route, API and dashboard.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("GET", "/api/health", RouteAccess.None, "getHealth", "Liveness and storage reachability")
        {
            Response = typeof(HealthReport), Problems = [503],
        },
        new("GET", "/api/openapi.json", RouteAccess.None, "getOpenApiDocument", "This document: OpenAPI 3.1, generated from the route catalog")
        {
            OtherContent = [new("application/json", "The OpenAPI document.")],
        },
        new("POST", "/api/plans", UpmPrincipal.Submitter, "dryRunPlan", "Compile and simulate a change request; starts nothing")
        {
            Request = typeof(ChangeRequest), Response = typeof(DryRunResult),
        },
        new("POST", "/api/changes", UpmPrincipal.Submitter, "submitChange", "Submit a change; same Idempotency-Key + same body → same change (200)")
        {
            Request = typeof(ChangeRequest), Status = 202, AlsoStatus = [200], Response = typeof(ChangeAccepted), Problems = [409],
            Parameters = [new("Idempotency-Key", "header", "1 to 200 characters; the same key with another body → 409.")],
        },
        new("GET", "/api/changes", RouteAccess.Any, "listChanges", "The caller's tenant's changes that the caller may read")
        {
            Response = typeof(ChangeList), Problems = [400],
            Parameters =
            [
                new("status", "query", "Only changes with this status."),
                new("since", "query", "Submitted at or after (ISO-8601)."),
                new("until", "query", "Submitted before (ISO-8601)."),
                new("limit", "query", "1 to 500; default 50.", "integer"),
                new("continuation", "query", "The continuation of the previous page."),
            ],
        },
        new("GET", "/api/changes/{id}", RouteAccess.Any, "getChange", "The change record: phase, status, plan, preflight, approvals, execution, verification, rollback, audit trace")
        {
            Response = typeof(ChangeRecord),
        },
        new("GET", "/api/changes/{id}/plan", RouteAccess.Any, "getPlan", "The plan as JSON, or its dependency graph as Mermaid or DOT")
        {
            Response = typeof(Plan), Problems = [400],
            OtherContent = [new("text/plain", "Mermaid flowchart (format=mermaid)."), new("text/vnd.graphviz", "DOT graph (format=dot).")],
            Parameters = [new("format", "query", "json (default), mermaid or dot.", Enum: ["json", "mermaid", "dot"])],
        },
        new("POST", "/api/changes/{id}/approvals", UpmPrincipal.Approver, "decideApproval", "An approver's decision, bound to the plan hash")
        {
            Request = typeof(ChangeApi.ApprovalRequest), Status = 202, Response = typeof(ApprovalAccepted), Problems = [409],
        },
        Operator("pause", "Hold the change before its next wave"),
        Operator("resume", "Resume a paused change"),
        Operator("abort", "Stop the change and compensate what was applied"),
        Operator("rollback", "Roll back a running change (= abort) or a completed one (its own orchestration); ?dry_run=true answers 200 with the simulated, guard-checked rollback plan") with
        {
            Parameters = [new("dry_run", "query", "true: start nothing; answer 200 with the rollback plan as it would run now (RollbackDryRun: LIFO steps, guard-rail verdict, target existence, delete/keep).")],
            OtherContent = [new("application/json", "With dry_run=true: 200 and a RollbackDryRun {change_id, executable, steps[{order, step_id, command, target_exists, action, guard, refusal}], problems}.")],
        },
        new("GET", "/api/changes/{id}/evidence", UpmPrincipal.Auditor, "getEvidencePack", "The signed evidence pack")
        {
            OtherContent = [new("application/zip", "Every record as stored, plan, reports, manifest.json, manifest.sig, public key, VERIFY.md.", Binary: true)],
        },
        new("GET", "/api/changes/{id}/evidence/verify", UpmPrincipal.Auditor, "verifyEvidence", "Re-read every evidence blob and check hashes and the chain")
        {
            Response = typeof(EvidenceVerificationResult),
        },
        new("GET", "/api/changes/{id}/evidence/records/{seq}", UpmPrincipal.Auditor, "getEvidenceRecord", "One evidence record as stored (the pack's permalinks)")
        {
            OtherContent = [new("application/json", "The record {seq, ts, kind, prev, body, sha256} byte for byte as stored.")],
        },
        new("GET", "/api/changes/{id}/drift", RouteAccess.Any, "getDrift", "The latest drift report of the change")
        {
            Response = typeof(DriftReport),
        },
        new("POST", "/api/drift/reconcile", UpmPrincipal.Admin, "reconcileDrift", "Run a drift reconciliation sweep now")
        {
            Response = typeof(DriftSweep),
        },
        new("POST", "/api/sandbox/resources/{type}/{name}", UpmPrincipal.Admin, "tamperSandboxResource", "Change a sandbox resource behind every change's back (fields, health, delete): drift and health-gate demos")
        {
            Request = typeof(SandboxTamper), Response = typeof(UpmDurable.Providers.ResourceState), Problems = [404], RequiresProvider = "sandbox",
        },
        new("GET", "/api/evidence/public-key", RouteAccess.None, "getEvidencePublicKey", "The key evidence packs are signed with")
        {
            Response = typeof(EvidencePublicKey),
        },
        new("POST", "/api/webhooks/approvals/{provider}", RouteAccess.Signature, "receiveApprovalWebhook", "A signed approval decision from a ticketing system")
        {
            Request = typeof(WebhookPayload), Status = 202, Response = typeof(ApprovalAccepted), Problems = [401, 403, 404, 409, 503],
            OtherAnswers = [new(200, typeof(WebhookIgnored), "A verified event that decides nothing (a ping, a comment-only review, another status).")],
            Parameters =
            [
                new("X-Upm-Signature", "header", "generic, servicenow (scripted): t=<unix>,v1=<hex HMAC-SHA256(secret, \"t.deliveryId.body\")>."),
                new("X-Upm-Delivery", "header", "generic, servicenow (scripted): delivery id, covered by the signature; a replay answers 409."),
                new("X-Hub-Signature-256", "header", "github: sha256=<hex HMAC-SHA256(secret, body)>."),
                new("X-GitHub-Delivery", "header", "github: delivery id; a replay answers 409."),
                new("X-GitHub-Event", "header", "github: pull_request_review, deployment_review (ping and others are acknowledged and ignored)."),
                new("X-Hub-Signature", "header", "jira: sha256=<hex HMAC-SHA256(secret, body)>."),
                new("X-Atlassian-Webhook-Identifier", "header", "jira: delivery id; a replay answers 409."),
                new("Authorization", "header", "servicenow (outbound REST): Bearer <token> or Basic <user:password>, matched with Upm:Webhooks:servicenow:CredentialHash."),
            ],
        },
        new("GET", "/api/kpis", UpmPrincipal.Auditor, "getKpis", "The ten UPM quality KPIs over the tenant's changes")
        {
            Response = typeof(KpiResponse), Problems = [400], Parameters = [Since],
        },
        new("GET", "/api/scorecard", UpmPrincipal.Auditor, "getScorecard", "The UPM comparison-template row: per-phase levels with evidence gates")
        {
            Response = typeof(ScorecardResponse), Problems = [400], Parameters = [Since],
        },
        new("GET", "/", RouteAccess.None, "getDashboard", "The dashboard page") { IsPage = true },
        new("GET", "/dashboard/{file}", RouteAccess.None, "getDashboardAsset", "The dashboard's script and style sheet") { IsPage = true },
    ];

    /// <summary>The API routes (what the OpenAPI document describes).</summary>
    public static IEnumerable<ApiRoute> Api => All.Where(r => !r.IsPage);

    /// <summary>The route with this operation id.</summary>
    public static ApiRoute ByOperation(string operationId) => All.Single(r => r.OperationId == operationId);

    /// <summary>Operator actions, in the order of <see cref="All"/>.</summary>
    public static readonly string[] OperatorActions = ["pause", "resume", "abort", "rollback"];

    static ApiRoute Operator(string action, string summary) =>
        new("POST", $"/api/changes/{{id}}/{action}", UpmPrincipal.Approver + "|" + UpmPrincipal.Admin, action + "Change", summary)
        {
            Request = typeof(ChangeApi.OperatorRequest), RequestOptional = true, Status = 202, Response = typeof(OperatorAccepted), Problems = [409],
        };
}
