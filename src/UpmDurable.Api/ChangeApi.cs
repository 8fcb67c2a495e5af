using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using UpmDurable.Api.Webhooks;
using UpmDurable.Storage;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Api;

/// <summary>
/// The HTTP API both hosts serve (see docs/contract/api.md). Hosts only bind routes to these methods; each method declares
/// who may call it (declared in <see cref="ApiRoutes"/>, enforced by <see cref="CallerGate"/>) and hands the request to one application service. Every answer is JSON or
/// an RFC 7807 problem; bad input never starts an orchestration.
/// </summary>
public sealed class ChangeApi(
    CallerGate access,
    ChangeSubmission submission,
    ChangeQueries queries,
    ApprovalDesk approvals,
    OperatorControls operators,
    EvidenceReads evidence,
    KpiReads kpis,
    DriftControls drift,
    StorageClients storage,
    PrincipalResolver principals,
    ChangeOperations operations,
    WebhookChannels webhooks,
    TimeProvider clock)
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public const int MaxBodyBytes = RequestBody.MaxBytes;


    /// <summary>
    /// GET /api/health: liveness, storage reachability, which providers and approval webhooks run (a disabled one with its
    /// reason) and how callers are identified (whether X-MS-CLIENT-PRINCIPAL is trusted, or ignored and why).
    /// </summary>
    public async Task<ApiResult> HealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        bool storageOk = await storage.IsReachableAsync(timeout.Token);
        return storageOk
            ? ApiResult.Json(200, new { status = "ok", storage = "ok", time = clock.GetUtcNow(), providers = operations.ProviderHealth(), webhooks = webhooks.Health(), auth = principals.Health() })
            : ApiResult.Problem(503, "Storage is unreachable.", "The service is up but cannot reach its storage account.");
    }

    /// <summary>POST /api/changes: validate, compile, record and start a change.</summary>
    public Task<ApiResult> SubmitAsync(HttpRequest request, DurableTaskClient client) =>
        access.AsCallerAsync(request, "submitChange", principal => submission.SubmitAsync(request, principal, client));

    /// <summary>POST /api/plans: compiles and simulates a change request; starts nothing.</summary>
    public Task<ApiResult> DryRunAsync(HttpRequest request) =>
        access.AsCallerAsync(request, "dryRunPlan", principal => submission.DryRunAsync(request, principal));

    /// <summary>GET /api/changes/{id}: the change record.</summary>
    public Task<ApiResult> GetAsync(HttpRequest request, DurableTaskClient client, string changeId) =>
        access.ForChangeAsync(request, "getChange", changeId, (_, record) => ChangeQueries.GetAsync(record, client, request.HttpContext.RequestAborted));

    /// <summary>GET /api/changes: the caller's tenant's changes.</summary>
    public Task<ApiResult> ListAsync(HttpRequest request) =>
        access.AsCallerAsync(request, "listChanges", principal => queries.ListAsync(request, principal));

    /// <summary>GET /api/changes/{id}/plan: the plan as JSON, or its dependency graph as Mermaid or DOT.</summary>
    public Task<ApiResult> GetPlanAsync(HttpRequest request, string changeId) =>
        access.ForChangeAsync(request, "getPlan", changeId, (_, record) => Task.FromResult(ChangeQueries.Plan(record, request)));

    /// <summary>POST /api/changes/{id}/approvals: an authenticated approver's decision, bound to the plan hash.</summary>
    public Task<ApiResult> ApproveAsync(HttpRequest request, DurableTaskClient client, string changeId) =>
        access.AsCallerAsync(request, "decideApproval", principal => approvals.ApproveAsync(request, principal, client, changeId));

    /// <summary>POST /api/changes/{id}/pause|resume|abort|rollback: operator controls (<see cref="OperatorControls"/>).</summary>
    public Task<ApiResult> OperatorAsync(HttpRequest request, DurableTaskClient client, string changeId, string action) =>
        access.AsCallerAsync(request, action + "Change", principal => operators.RunAsync(request, principal, client, changeId, action));

    /// <summary>GET /api/changes/{id}/evidence: the signed zip evidence pack.</summary>
    public Task<ApiResult> EvidencePackAsync(HttpRequest request, string changeId) =>
        access.ForChangeAsync(request, "getEvidencePack", changeId, (principal, record) => evidence.PackAsync(principal, record, request.HttpContext.RequestAborted));

    /// <summary>GET /api/changes/{id}/evidence/verify: re-reads every blob and rechecks hashes and the chain.</summary>
    public Task<ApiResult> VerifyEvidenceAsync(HttpRequest request, string changeId) =>
        access.ForChangeAsync(request, "verifyEvidence", changeId, (_, record) => evidence.VerifyAsync(record, request.HttpContext.RequestAborted));

    /// <summary>GET /api/changes/{id}/evidence/records/{seq}: one evidence record as stored (the pack's permalinks).</summary>
    public Task<ApiResult> EvidenceRecordAsync(HttpRequest request, string changeId, string seq) =>
        access.ForChangeAsync(request, "getEvidenceRecord", changeId, (_, record) => evidence.RecordAsync(record, seq, request.HttpContext.RequestAborted));

    /// <summary>GET /api/evidence/public-key: the key evidence packs are signed with, for offline verification.</summary>
    public Task<ApiResult> PublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(evidence.PublicKey());

    /// <summary>GET /api/changes/{id}/drift: the latest drift report of a change.</summary>
    public Task<ApiResult> DriftAsync(HttpRequest request, string changeId) =>
        access.ForChangeAsync(request, "getDrift", changeId, (_, record) => drift.ReportAsync(record, request.HttpContext.RequestAborted));

    /// <summary>POST /api/drift/reconcile: runs a drift reconciliation sweep now, across tenants (admin).</summary>
    public Task<ApiResult> ReconcileAsync(HttpRequest request, DurableTaskClient client, DriftReconciler reconciler) =>
        access.AsCallerAsync(request, "reconcileDrift", principal => drift.ReconcileAsync(principal, client, reconciler, request.HttpContext.RequestAborted));

    /// <summary>POST /api/sandbox/resources/{type}/{name} (admin): changes a sandbox resource out of band.</summary>
    public Task<ApiResult> SandboxTamperAsync(HttpRequest request, string type, string name) =>
        drift.TamperServed
            ? access.AsCallerAsync(request, "tamperSandboxResource", principal => drift.TamperAsync(request, principal, type, name))

            // Sandbox off (Upm:Sandbox:Enabled): the route does not exist here, for any caller.
            : Task.FromResult(ApiResult.Problem(404, "No such route.", $"{request.Method} {request.Path} is not a route of this API."));

    /// <summary>GET /api/kpis?since=: the UPM quality KPIs over the caller's tenant's changes.</summary>
    public Task<ApiResult> KpisAsync(HttpRequest request) =>
        access.AsCallerAsync(request, "getKpis", principal => kpis.KpisAsync(request, principal));

    /// <summary>GET /api/scorecard?since=: the UPM comparison-template row with per-phase levels and evidence gates.</summary>
    public Task<ApiResult> ScorecardAsync(HttpRequest request) =>
        access.AsCallerAsync(request, "getScorecard", principal => kpis.ScorecardAsync(request, principal));

    /// <summary>Body of POST /api/changes/{id}/approvals.</summary>
    public sealed record ApprovalRequest(string? Decision, string? PlanHash, string? Comment);

    /// <summary>Optional body of the operator routes.</summary>
    public sealed record OperatorRequest(string? Reason);
}
