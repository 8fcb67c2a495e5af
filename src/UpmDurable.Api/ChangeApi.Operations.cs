using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Workflows;

namespace UpmDurable.Api;

// Drift and rollback routes of the API.
public sealed partial class ChangeApi
{
    /// <summary>GET /api/changes/{id}/drift: the latest drift report of a change.</summary>
    public async Task<ApiResult> DriftAsync(HttpRequest request, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal) is { } denied)
        {
            return denied;
        }

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        return record is null ? NotFound(changeId) : ApiResult.Json(200, await operations.DriftReportAsync(record, request.HttpContext.RequestAborted));
    }

    /// <summary>POST /api/drift/reconcile: runs a drift reconciliation sweep now, across tenants (admin).</summary>
    public async Task<ApiResult> ReconcileAsync(HttpRequest request, DurableTaskClient client, DriftReconciler reconciler)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Admin) is { } denied)
        {
            return denied;
        }

        DriftSweep sweep = await reconciler.SweepAsync(new DurableClientStarter(client), request.HttpContext.RequestAborted);
        logger.LogInformation("Drift sweep requested by {Principal}: {Swept} swept, {Restarted} restarted, {Stopped} stopped", principal!.Id, sweep.Swept, sweep.Restarted, sweep.Stopped);
        return ApiResult.Json(200, sweep);
    }

    /// <summary>
    /// POST /api/sandbox/resources/{type}/{name} (admin): changes a sandbox resource behind every change's back — fields,
    /// health, or deletion — to demonstrate and test drift detection, health gates and remediation.
    /// </summary>
    public async Task<ApiResult> SandboxTamperAsync(HttpRequest request, string type, string name)
    {
        if (!ApiRoutes.ByOperation("tamperSandboxResource").IsServedWith(operations.EnabledProviders))
        {
            // Sandbox off (Upm:Sandbox:Enabled): the route does not exist here, for any caller.
            return ApiResult.Problem(404, "No such route.", $"{request.Method} {request.Path} is not a route of this API.");
        }

        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Admin) is { } denied)
        {
            return denied;
        }

        (SandboxTamper? body, ApiResult? bad) = await ReadJsonAsync<SandboxTamper>(request);
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

        ResourceState? state = await operations.SandboxTamperAsync(principal!.Tenant, type, name, body, request.HttpContext.RequestAborted);
        if (state is null)
        {
            return ApiResult.Problem(404, "Resource not found.", $"No sandbox resource {(type.Length > 64 ? type[..64] : type)}/{(name.Length > 64 ? name[..64] : name)} in your tenant.");
        }

        logger.LogWarning("Sandbox resource {Type}/{Name} of tenant {Tenant} changed out of band by {Principal}", type, name, principal.Tenant, principal.Id);
        return ApiResult.Json(200, state);
    }

    // Rollback of a completed change: its own orchestration continues the change's record and evidence chain. Resources
    // changed since the change (conflicts) stop it for an operator unless ?force=true (recorded in the evidence).
    async Task<ApiResult> RollbackFinishedAsync(DurableTaskClient client, ChangeRecord record, UpmPrincipal principal, string? reason, string force, CancellationToken cancellationToken)
    {
        if (force is not ("" or "true" or "false"))
        {
            return ApiResult.Problem(400, "The request is invalid.", "force: true or false.", new Dictionary<string, string[]> { ["force"] = ["Must be true or false."] });
        }

        bool forced = force == "true";
        if (!forced && (await operations.RollbackDryRunAsync(record, cancellationToken)).Conflicts is { Count: > 0 } conflicts)
        {
            logger.LogWarning("Change {ChangeId}: rollback by {Principal} refused: {Count} resource(s) changed since the change", record.ChangeId, principal.Id, conflicts.Count);
            return ApiResult.Problem(409, "Rollback conflicts with later changes.",
                $"Resources changed since change {record.ChangeId}: {string.Join("; ", conflicts)}. Review rollback?dry_run=true, then roll back with ?force=true to overwrite them with their before-images.");
        }

        var input = new RollbackInput(record.Tenant, record.ChangeId, principal.Id, reason, clock.GetUtcNow(), principal.DisplayName) { Force = forced ? true : null };
        string instanceId = RollbackInput.InstanceIdFor(record.ChangeId);
        if (!await new DurableClientStarter(client).StartIfIdleAsync(nameof(RollbackOrchestrator), instanceId, input, cancellationToken))
        {
            return ApiResult.Problem(409, "Rollback already running.", $"A rollback of change {record.ChangeId} is already running.");
        }

        logger.LogInformation("Change {ChangeId}: rollback of the completed change requested by {Principal}", record.ChangeId, principal.Id);
        return ApiResult.Json(202, new { change_id = record.ChangeId, action = "rollback", by = principal.Id, reason, accepted_at = input.At, by_name = principal.DisplayName, force = forced ? true : (bool?)null })
            .WithHeader("Location", $"/api/changes/{record.ChangeId}");
    }
}

/// <summary>Body of the sandbox tamper route.</summary>
public sealed record SandboxTamper(Dictionary<string, string?>? Fields, string? Health, bool Delete = false);
