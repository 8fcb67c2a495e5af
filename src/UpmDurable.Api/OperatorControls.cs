using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Api;

/// <summary>
/// Operator controls on a change — pause, resume, abort, rollback — recorded with who and why. Pause takes effect before
/// the next wave; abort (and rollback of a running change) stops it and runs the compensations of what was applied; rollback
/// of a completed change starts its own orchestration. Only an admin or an approver of one of the change's groups may
/// (<see cref="OperatorAccess"/>); the read-only <c>rollback?dry_run=true</c> is answered to any approver who may read it.
/// </summary>
public sealed class OperatorControls(VisibleChanges visible, ChangeOperations operations, TimeProvider clock, ILogger<OperatorControls> logger)
{
    /// <summary>POST /api/changes/{id}/pause|resume|abort|rollback as <paramref name="principal"/> (an approver).</summary>
    public async Task<ApiResult> RunAsync(HttpRequest request, UpmPrincipal principal, DurableTaskClient client, string changeId, string action)
    {
        string? reason = null;
        if (request.ContentLength is > 0)
        {
            (ChangeApi.OperatorRequest? body, ApiResult? bad) = await RequestBody.ReadJsonAsync<ChangeApi.OperatorRequest>(request);
            if (bad is not null)
            {
                return bad;
            }

            reason = body!.Reason is null ? null : SecretScreen.Redact(body.Reason);
            if (reason is { Length: > 1000 })
            {
                return ApiResult.Problem(400, "The request is invalid.", "reason: at most 1000 characters.", new Dictionary<string, string[]> { ["reason"] = ["At most 1000 characters."] });
            }
        }

        ChangeRecord? record = await visible.FindAsync(principal, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return VisibleChanges.NotFound(changeId);
        }

        if (action == OperatorActions.Rollback && request.Query["dry_run"].ToString() is "true" or "1")
        {
            return ApiResult.Json(200, await operations.RollbackDryRunAsync(record, request.HttpContext.RequestAborted));
        }

        if (!OperatorAccess.MayOperate(principal, record))
        {
            string groups = string.Join(", ", OperatorAccess.ApproverGroups(record));
            logger.LogWarning("Change {ChangeId}: operator {Action} by {Principal} refused: in none of the change's approver groups ({Groups})", changeId, action, principal.Id, groups);
            return ApiResult.Problem(403, "Not an operator of this change.", $"Operator controls on this change need the admin role or an approver in one of its approver groups: {groups}.");
        }

        if (action == OperatorActions.Rollback && record.Status == ChangeStatuses.Completed)
        {
            return await RollbackFinishedAsync(client, record, principal, reason, request.Query["force"].ToString(), request.HttpContext.RequestAborted);
        }

        if (ChangeStatuses.IsFinal(record.Status))
        {
            return ApiResult.Problem(409, "Change is finished.", $"Change {changeId} is {record.Status}; operator controls apply to running changes, and rollback to running or completed ones.");
        }

        if (record.Status == ChangeStatuses.RollingBack)
        {
            return ApiResult.Problem(409, "Rollback in progress.", $"Change {changeId} is rolling back; wait for it to finish.");
        }

        if (action == OperatorActions.Pause && record.Status == ChangeStatuses.Paused)
        {
            return ApiResult.Problem(409, "Already paused.", $"Change {changeId} is already paused; resume or abort it.");
        }

        var command = new OperatorCommand(action == OperatorActions.Rollback ? OperatorActions.Abort : action, principal.Id, reason ?? (action == OperatorActions.Rollback ? "rollback requested" : null), clock.GetUtcNow(), principal.DisplayName);
        await client.RaiseEventAsync(changeId, ChangeOrchestrator.OperatorEvent, command, request.HttpContext.RequestAborted);
        logger.LogInformation("Change {ChangeId}: operator {Action} by {Principal}", changeId, action, principal.Id);
        return ApiResult.Json(202, new { change_id = changeId, action, by = principal.Id, reason = command.Reason, accepted_at = command.At, by_name = principal.DisplayName });
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
