using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Api;

/// <summary>
/// The one approval desk: every approval decision takes this path whatever its channel (the API's approvals route, a
/// ticketing webhook). Field checks, then the change (tenant and visibility), its status, the plan-hash binding, separation
/// of duties and group membership. A decision that passes is raised to the orchestration (which checks it again); one
/// refused for SoD, group or hash is raised as a refused attempt so it is recorded on the change and in its evidence, and
/// never counts.
/// </summary>
public sealed class ApprovalDesk(VisibleChanges visible, RefusedApprovalLimiter refusedLimiter, TimeProvider clock, ILogger<ApprovalDesk> logger)
{
    /// <summary>POST /api/changes/{id}/approvals: an authenticated approver's decision, bound to the plan hash.</summary>
    public async Task<ApiResult> ApproveAsync(HttpRequest request, UpmPrincipal principal, DurableTaskClient client, string changeId)
    {
        (ChangeApi.ApprovalRequest? body, ApiResult? bad) = await RequestBody.ReadJsonAsync<ChangeApi.ApprovalRequest>(request);
        if (bad is not null)
        {
            return bad;
        }

        return await DecideAsync(principal, changeId, body!, "api", client, request.HttpContext.RequestAborted);
    }

    /// <summary>
    /// Decides <paramref name="body"/> for <paramref name="principal"/> arriving by <paramref name="channel"/>.
    /// <paramref name="refusedAtDoor"/> is a refusal the channel already decided (a webhook naming an approver nobody
    /// mapped): it is recorded the same way, on any change of the sender's tenant, and refused attempts then count against
    /// <paramref name="limitedAs"/>.
    /// </summary>
    public async Task<ApiResult> DecideAsync(UpmPrincipal principal, string changeId, ChangeApi.ApprovalRequest body, string channel, DurableTaskClient client, CancellationToken cancellationToken,
        ApprovalRefusal? refusedAtDoor = null, string? limitedAs = null)
    {
        string limitKey = limitedAs ?? principal.Id;
        if (refusedLimiter.RetryAfter(limitKey) is { } wait)
        {
            int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return ApiResult.Problem(429, "Too many refused approval attempts.", $"Too many of your approval attempts were refused in the last minute; try again in {seconds} s.")
                .WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var errors = new ValidationErrors();
        if (body.Decision is not ("approve" or "reject"))
        {
            errors.Add("decision", "Required: approve or reject.");
        }

        if (string.IsNullOrWhiteSpace(body.PlanHash))
        {
            errors.Add("plan_hash", "Required: the plan hash you approve (GET the change to read it).");
        }

        if (body.Comment is { Length: > 2000 })
        {
            errors.Add("comment", "At most 2000 characters.");
        }

        if (!errors.IsEmpty)
        {
            return ApiResult.Invalid(errors);
        }

        // The sender of a refused-at-door decision is authenticated, the person it names is not: the refusal is recorded
        // on the sender's tenant's change whoever may read it.
        ChangeRecord? record = refusedAtDoor is null ? await visible.FindAsync(principal, changeId, cancellationToken)
            : await visible.FindInTenantAsync(principal.Tenant, changeId, cancellationToken);
        if (record is null)
        {
            return VisibleChanges.NotFound(changeId);
        }

        if (record.Status != ChangeStatuses.AwaitingApproval)
        {
            return ApiResult.Problem(409, "Not awaiting approval.", $"Change {changeId} is {record.Status}; decisions are taken only while it awaits approval.");
        }

        var decision = new ApprovalDecision
        {
            Approver = principal.Id,
            ApproverName = principal.DisplayName,
            Decision = body.Decision!,
            PlanHash = body.PlanHash!,
            Comment = body.Comment is null ? null : SecretScreen.Redact(body.Comment),
            Channel = channel,
            Groups = [.. principal.Groups],
            At = clock.GetUtcNow(),
        };

        // Duplicates are left to the orchestration, which alone knows every decision that counted.
        ApprovalRefusal? broken = refusedAtDoor ?? ApprovalRules.Check(decision, record.Initiator, record.Approvals.PlanHash, record.Approvals.Groups, new HashSet<string>());
        string? why = broken?.Reason;
        ApiResult? refusal = broken?.Kind switch
        {
            null => null,
            ApprovalRefusalKind.StalePlanHash => ApiResult.Problem(409, "Plan hash mismatch.", $"The decision names {body.PlanHash} but the change's plan is {record.Approvals.PlanHash}.",
                new Dictionary<string, string[]> { ["plan_hash"] = [$"Must be {record.Approvals.PlanHash}."] }),
            ApprovalRefusalKind.SeparationOfDuties => ApiResult.Problem(403, "Separation of duties.", "The initiator of a change cannot approve or reject it."),
            ApprovalRefusalKind.NotInRequiredGroup => ApiResult.Problem(403, "Not an approver of this change.", $"Approvers must belong to one of: {string.Join(", ", record.Approvals.Groups)}."),
            ApprovalRefusalKind.UnknownApprover => ApiResult.Problem(403, "Unknown approver.", $"The {channel} webhook names an approver it maps to no principal (Upm:Webhooks:{channel}:Approvers)."),
            _ => ApiResult.Problem(409, "Decision refused.", broken.Reason),
        };
        if (refusal is not null)
        {
            refusedLimiter.Refused(limitKey);
            await client.RaiseEventAsync(changeId, ChangeOrchestrator.RefusedApprovalEvent, decision with { RefusedBecause = why, RefusalKind = broken!.Kind.ToString() }, cancellationToken);
            logger.LogWarning("Change {ChangeId}: {Decision} by {Approver} via {Channel} refused: {Reason}", changeId, decision.Decision, decision.Approver, channel, why);
            return refusal;
        }

        await client.RaiseEventAsync(changeId, ChangeOrchestrator.ApprovalEvent, decision, cancellationToken);
        logger.LogInformation("Change {ChangeId}: {Decision} by {Approver} via {Channel}", changeId, decision.Decision, decision.Approver, channel);
        return ApiResult.Json(202, new { change_id = changeId, decision = decision.Decision, approver = decision.Approver, channel, plan_hash = decision.PlanHash, accepted_at = decision.At, approver_name = decision.ApproverName });
    }
}
