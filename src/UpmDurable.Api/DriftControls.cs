using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Api;

/// <summary>Drift routes: a change's latest drift report, a reconciliation sweep on demand, and sandbox tampering to show drift.</summary>
public sealed class DriftControls(ChangeOperations operations, ILogger<DriftControls> logger)
{
    /// <summary>GET /api/changes/{id}/drift: the latest drift report of a change.</summary>
    public async Task<ApiResult> ReportAsync(ChangeRecord record, CancellationToken cancellationToken) =>
        ApiResult.Json(200, await operations.DriftReportAsync(record, cancellationToken));

    /// <summary>POST /api/drift/reconcile: runs a drift reconciliation sweep now, across tenants (admin).</summary>
    public async Task<ApiResult> ReconcileAsync(UpmPrincipal principal, DurableTaskClient client, DriftReconciler reconciler, CancellationToken cancellationToken)
    {
        DriftSweep sweep = await reconciler.SweepAsync(new DurableClientStarter(client), cancellationToken);
        logger.LogInformation("Drift sweep requested by {Principal}: {Swept} swept, {Restarted} restarted, {Stopped} stopped", principal.Id, sweep.Swept, sweep.Restarted, sweep.Stopped);
        return ApiResult.Json(200, sweep);
    }

    /// <summary>Whether the sandbox tamper route exists on this host (Upm:Sandbox:Enabled).</summary>
    public bool TamperServed => ApiRoutes.ByOperation("tamperSandboxResource").IsServedWith(operations.EnabledProviders);

    /// <summary>
    /// POST /api/sandbox/resources/{type}/{name} (admin): changes a sandbox resource behind every change's back — fields,
    /// health, or deletion — to demonstrate and test drift detection, health gates and remediation.
    /// </summary>
    public async Task<ApiResult> TamperAsync(HttpRequest request, UpmPrincipal principal, string type, string name)
    {
        (SandboxTamper? body, ApiResult? bad) = await RequestBody.ReadJsonAsync<SandboxTamper>(request);
        if (bad is not null)
        {
            return bad;
        }

        if (body!.Health is not (null or "healthy" or "unhealthy"))
        {
            return ApiResult.Problem(400, "The request is invalid.", "health: healthy or unhealthy.", new Dictionary<string, string[]> { ["health"] = ["healthy or unhealthy."] });
        }

        if (body.Fields is { Count: > 100 } || body.Fields?.Any(f => f.Key.Length > 100 || f.Value?.Length > 1000) == true)
        {
            return ApiResult.Problem(400, "The request is invalid.", "fields: at most 100 fields, names up to 100 and values up to 1000 characters.", new Dictionary<string, string[]> { ["fields"] = ["At most 100 fields; names up to 100, values up to 1000 characters."] });
        }

        ResourceState? state = await operations.SandboxTamperAsync(principal.Tenant, type, name, body, request.HttpContext.RequestAborted);
        if (state is null)
        {
            return ApiResult.Problem(404, "Resource not found.", $"No sandbox resource {(type.Length > 64 ? type[..64] : type)}/{(name.Length > 64 ? name[..64] : name)} in your tenant.");
        }

        logger.LogWarning("Sandbox resource {Type}/{Name} of tenant {Tenant} changed out of band by {Principal}", type, name, principal.Tenant, principal.Id);
        return ApiResult.Json(200, state);
    }
}
