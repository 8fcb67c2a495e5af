using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using UpmDurable.Api;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Functions;

/// <summary>HTTP triggers: the routes of docs/contract/api.md, bound to <see cref="ChangeApi"/> exactly as the local host binds them.</summary>
public sealed class ChangeHttpFunctions(ChangeApi api, WebhookApprovals webhooks, DriftReconciler reconciler)
{
    [Function("Health")]
    public async Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        await api.HealthAsync(request.HttpContext.RequestAborted);

    [Function("SubmitChange")]
    public async Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/changes")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        await api.SubmitAsync(request, client);

    [Function("ListChanges")]
    public async Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes")] HttpRequest request) =>
        await api.ListAsync(request);

    [Function("GetChange")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await api.GetAsync(request, client, id);

    [Function("GetPlan")]
    public async Task<IActionResult> GetPlan([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}/plan")] HttpRequest request, string id) =>
        await api.GetPlanAsync(request, id);

    [Function("PostApproval")]
    public async Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/changes/{id}/approvals")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await api.ApproveAsync(request, client, id);

    [Function("GetEvidencePack")]
    public async Task<IActionResult> EvidencePack([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}/evidence")] HttpRequest request, string id) =>
        await api.EvidencePackAsync(request, id);

    [Function("VerifyEvidence")]
    public async Task<IActionResult> VerifyEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}/evidence/verify")] HttpRequest request, string id) =>
        await api.VerifyEvidenceAsync(request, id);

    [Function("GetEvidenceRecord")]
    public async Task<IActionResult> EvidenceRecord(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}/evidence/records/{seq}")] HttpRequest request, string id, string seq) =>
        await api.EvidenceRecordAsync(request, id, seq);

    [Function("GetEvidencePublicKey")]
    public async Task<IActionResult> PublicKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/evidence/public-key")] HttpRequest request) =>
        await api.PublicKeyAsync(request.HttpContext.RequestAborted);

    [Function("GetKpis")]
    public async Task<IActionResult> Kpis([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/kpis")] HttpRequest request) =>
        await api.KpisAsync(request);

    [Function("GetScorecard")]
    public async Task<IActionResult> Scorecard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/scorecard")] HttpRequest request) =>
        await api.ScorecardAsync(request);

    [Function("CompilePlanDryRun")]
    public async Task<IActionResult> Plans([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/plans")] HttpRequest request) =>
        await api.DryRunAsync(request);

    [Function("ApprovalWebhook")]
    public async Task<IActionResult> Webhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/approvals/{provider}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string provider) =>
        await webhooks.ReceiveAsync(request, client, provider);

    [Function("OperatorControl")]
    public async Task<IActionResult> Operator(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/changes/{id}/{action:regex(^(pause|resume|abort|rollback)$)}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        string action) =>
        await api.OperatorAsync(request, client, id, action);

    [Function("GetDrift")]
    public async Task<IActionResult> Drift([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes/{id}/drift")] HttpRequest request, string id) =>
        await api.DriftAsync(request, id);

    [Function("ReconcileDrift")]
    public async Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/drift/reconcile")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        await api.ReconcileAsync(request, client, reconciler);

    [Function("SandboxTamper")]
    public async Task<IActionResult> SandboxTamper(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sandbox/resources/{type}/{name}")] HttpRequest request, string type, string name) =>
        await api.SandboxTamperAsync(request, type, name);
}
