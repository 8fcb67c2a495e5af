using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using UpmDurable.Api;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Local;

/// <summary>Binds the routes of docs/contract/api.md to <see cref="ChangeApi"/>, as the Functions app's HTTP triggers do.</summary>
public static class LocalRoutes
{
    public static void MapUpmRoutes(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            if (feature?.Error is BadHttpRequestException bad)
            {
                // Kestrel refused the request itself (body over the limit, malformed body framing): a client error, not ours.
                await ApiResult.Problem(bad.StatusCode, bad.StatusCode == 413 ? "Request body too large." : "Bad request.",
                    bad.StatusCode == 413 ? $"At most {ChangeApi.MaxBodyBytes} bytes." : "The request could not be read.").ExecuteAsync(context);
                return;
            }

            app.Logger.LogError(feature?.Error, "Unhandled error on {Path}", context.Request.Path);
            await ApiResult.Problem(500, "Internal error.", "The request failed; it was logged. Retry, or contact the operators.").ExecuteAsync(context);
        }));

        // The request body limit of the API routes, explicit (Kestrel's default is 30 MB); the gRPC sidecar keeps its own.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = ChangeApi.MaxBodyBytes;
            }

            return next(context);
        });

        app.MapGrpcService<TaskHubGrpcServer>();

        app.MapGet("/api/health", (ChangeApi api, CancellationToken ct) => api.HealthAsync(ct));
        app.MapPost("/api/plans", (HttpRequest r, ChangeApi api) => api.DryRunAsync(r));
        app.MapPost("/api/changes", (HttpRequest r, ChangeApi api, DurableTaskClient c) => api.SubmitAsync(r, c));
        app.MapGet("/api/changes", (HttpRequest r, ChangeApi api) => api.ListAsync(r));
        app.MapGet("/api/changes/{id}", (HttpRequest r, ChangeApi api, DurableTaskClient c, string id) => api.GetAsync(r, c, id));
        app.MapGet("/api/changes/{id}/plan", (HttpRequest r, ChangeApi api, string id) => api.GetPlanAsync(r, id));
        app.MapPost("/api/changes/{id}/approvals", (HttpRequest r, ChangeApi api, DurableTaskClient c, string id) => api.ApproveAsync(r, c, id));
        app.MapPost("/api/changes/{id}/{action:regex(^(pause|resume|abort|rollback)$)}", (HttpRequest r, ChangeApi api, DurableTaskClient c, string id, string action) => api.OperatorAsync(r, c, id, action));
        app.MapGet("/api/changes/{id}/evidence", (HttpRequest r, ChangeApi api, string id) => api.EvidencePackAsync(r, id));
        app.MapGet("/api/changes/{id}/evidence/verify", (HttpRequest r, ChangeApi api, string id) => api.VerifyEvidenceAsync(r, id));
        app.MapGet("/api/changes/{id}/evidence/records/{seq}", (HttpRequest r, ChangeApi api, string id, string seq) => api.EvidenceRecordAsync(r, id, seq));
        app.MapGet("/api/evidence/public-key", (ChangeApi api, CancellationToken ct) => api.PublicKeyAsync(ct));
        app.MapPost("/api/webhooks/approvals/{provider}", (HttpRequest r, WebhookApprovals hooks, DurableTaskClient c, string provider) => hooks.ReceiveAsync(r, c, provider));
        app.MapGet("/api/changes/{id}/drift", (HttpRequest r, ChangeApi api, string id) => api.DriftAsync(r, id));
        app.MapPost("/api/drift/reconcile", (HttpRequest r, ChangeApi api, DurableTaskClient c, DriftReconciler reconciler) => api.ReconcileAsync(r, c, reconciler));
        app.MapPost("/api/sandbox/resources/{type}/{name}", (HttpRequest r, ChangeApi api, string type, string name) => api.SandboxTamperAsync(r, type, name));
        app.MapGet("/api/kpis", (HttpRequest r, ChangeApi api) => api.KpisAsync(r));
        app.MapGet("/api/scorecard", (HttpRequest r, ChangeApi api) => api.ScorecardAsync(r));
        app.MapGet("/api/openapi.json", (ChangeOperations operations) => OpenApiDocument.Result(operations.EnabledProviders));
        app.MapGet("/", () => DashboardPage.Index());
        app.MapGet("/dashboard/{file}", (string file) => DashboardPage.Asset(file));
        app.MapFallback("{*path}", (HttpContext context) => ApiResult.Problem(404, "No such route.", $"{context.Request.Method} {context.Request.Path} is not a route of this API."));
    }
}
