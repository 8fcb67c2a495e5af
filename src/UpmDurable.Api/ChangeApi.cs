using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Validation;
using UpmDurable.Storage;
using UpmDurable.Api.Webhooks;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Workflows.RateLimits;
using UpmDurable.Workflows;

namespace UpmDurable.Api;

/// <summary>
/// The HTTP API both hosts serve (see docs/contract/api.md). Hosts only bind routes to these methods.
/// Every answer is JSON or an RFC 7807 problem; bad input never starts an orchestration.
/// </summary>
public sealed partial class ChangeApi(ChangeStore changes, EvidenceStore evidence, EvidenceKeys keys, PublicBaseUrl publicBaseUrl, Preflight preflight, StorageClients storage, PrincipalResolver principals, TimeProvider clock, ILogger<ChangeApi> logger, ChangeOperations operations, RefusedApprovalLimiter refusedLimiter, WebhookChannels webhooks, ProviderRateLimits rateLimits)
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

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
    public async Task<ApiResult> SubmitAsync(HttpRequest request, DurableTaskClient client)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Submitter) is { } denied)
        {
            return denied;
        }

        var compiled = await ReadChangeAsync(request, principal!);
        if (compiled.Problem is not null)
        {
            return compiled.Problem;
        }

        ChangeSpec spec = compiled.Spec!;
        Plan plan = compiled.Plan!;

        string requestHash = CanonicalJson.Hash(spec);
        string changeId = NewChangeId();
        string? idempotencyKey = request.Headers["Idempotency-Key"];
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 200)
            {
                return ApiResult.Problem(400, "The request is invalid.", "Idempotency-Key must be 1 to 200 characters.",
                    new Dictionary<string, string[]> { ["Idempotency-Key"] = ["1 to 200 characters."] });
            }

            string keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{principal!.Tenant}\n{idempotencyKey}")));
            changeId = "chg-" + keyHash[..32];
            (string boundId, string boundHash) = await changes.ClaimIdempotencyKeyAsync(principal.Tenant, keyHash, changeId, requestHash, request.HttpContext.RequestAborted);
            if (boundHash != requestHash)
            {
                return ApiResult.Problem(409, "Idempotency key reused.", $"Idempotency-Key was already used for change {boundId} with a different body.");
            }

            if (await changes.GetIndexAsync(principal.Tenant, boundId, request.HttpContext.RequestAborted) is { } existing
                && await client.GetInstanceAsync(boundId, request.HttpContext.RequestAborted) is not null)
            {
                return Accepted(200, existing.ChangeId, existing.Status, existing.PlanHash ?? plan.PlanHash);
            }
        }

        DateTimeOffset now = clock.GetUtcNow();
        var record = new ChangeRecord
        {
            ChangeId = changeId,
            Tenant = spec.Tenant,
            Initiator = principal!.Id,
            InitiatorName = principal.DisplayName,
            Status = ChangeStatuses.Submitted,
            Phase = Phases.Plan,
            SubmittedAt = now,
            UpdatedAt = now,
            Intent = spec,
            AuditTrace = [new AuditEntry(now, Phases.Plan, $"change submitted by {principal.Id}")],
        };

        // Index first, then start: a crash in between leaves a 'submitted' row that a retry with the same key completes.
        await changes.CreateAsync(record, requestHash, request.HttpContext.RequestAborted);
        if (await client.GetInstanceAsync(changeId, request.HttpContext.RequestAborted) is null)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ChangeOrchestrator),
                new ChangeInput(changeId, spec.Tenant, principal.Id, now, spec),
                new StartOrchestrationOptions(changeId),
                CancellationToken.None);
        }

        logger.LogInformation("Change {ChangeId} submitted by {Principal} in tenant {Tenant}: {Steps} steps, {PlanHash}", changeId, principal.Id, spec.Tenant, plan.Steps.Count, plan.PlanHash);
        Workflows.Telemetry.UpmTelemetry.ChangeSubmitted(spec.Tenant, changeId, plan.Steps.Count);
        return Accepted(202, changeId, ChangeStatuses.Submitted, plan.PlanHash);
    }

    /// <summary>
    /// POST /api/plans: compiles a change request and simulates it — plan, annotation, pre-flight (prerequisites, dry run
    /// against the provider's current state, policies, window) and the requested wave variants. Starts nothing.
    /// </summary>
    public async Task<ApiResult> DryRunAsync(HttpRequest request)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Submitter) is { } denied)
        {
            return denied;
        }

        var compiled = await ReadChangeAsync(request, principal!);
        if (compiled.Problem is not null)
        {
            return compiled.Problem;
        }

        ChangeSpec spec = compiled.Spec!;
        Plan plan = compiled.Plan!;

        PreflightReport report = await preflight.RunAsync(
            new PreflightInput(spec.Tenant, "dry-run", spec.Provider, plan, spec, principal!.Id, clock.GetUtcNow()), request.HttpContext.RequestAborted);
        return ApiResult.Json(200, new
        {
            plan,
            annotation = report.Annotation,
            simulation = new
            {
                create = report.DryRun.Where(d => d.Action == "create").Select(d => d.StepId),
                change = report.DryRun.Where(d => d.Action == "update").Select(d => d.StepId),
                unchanged = report.DryRun.Where(d => d.Action == "unchanged").Select(d => d.StepId),
                steps = report.DryRun,
            },
            preflight = new { ok = report.Ok, checks = report.Checks, policy = report.Policy, window = report.Window, approvals = report.Approval },
            variants = PlanVariants.For(plan, spec.Variants),
            rollback_plan = plan.RollbackPlan,
            graph = PlanGraph.Mermaid(plan),
            simulated = SimulatedRuns.IsSimulated(spec),
        });
    }

    /// <summary>GET /api/changes/{id}: the change record.</summary>
    public async Task<ApiResult> GetAsync(HttpRequest request, DurableTaskClient client, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal) is { } denied)
        {
            return denied;
        }

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(changeId);
        }

        if (!ChangeStatuses.IsFinal(record.Status))
        {
            // The record is saved at each transition; an orchestration that died in between must still show as failed.
            OrchestrationMetadata? instance = await client.GetInstanceAsync(changeId, getInputsAndOutputs: false, request.HttpContext.RequestAborted);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated })
            {
                record = record with { Status = ChangeStatuses.Failed, Reason = instance.FailureDetails?.ErrorMessage ?? $"orchestration {instance.RuntimeStatus}" };
            }
        }

        return ApiResult.Json(200, record);
    }

    /// <summary>GET /api/changes: the caller's tenant's changes.</summary>
    public async Task<ApiResult> ListAsync(HttpRequest request)
    {
        if (Authorize(request, out UpmPrincipal? principal) is { } denied)
        {
            return denied;
        }

        string? status = request.Query["status"];
        string? continuation = request.Query["continuation"];
        int limit = 50;
        if (request.Query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > 500))
        {
            return ApiResult.Problem(400, "The request is invalid.", "limit must be an integer from 1 to 500.", new Dictionary<string, string[]> { ["limit"] = ["An integer from 1 to 500."] });
        }

        DateTimeOffset? since = null, until = null;
        foreach (var (name, target) in new[] { ("since", 0), ("until", 1) })
        {
            string? text = request.Query[name];
            if (text is null)
            {
                continue;
            }

            if (!TryParseTime(text, out DateTimeOffset at))
            {
                return TimeProblem(name);
            }

            if (target == 0)
            {
                since = at;
            }
            else
            {
                until = at;
            }
        }

        if (status is not null && !ChangeStatuses.IsKnown(status))
        {
            return ApiResult.Problem(400, "The request is invalid.", "status is not a change status.", new Dictionary<string, string[]> { ["status"] = [$"One of: {string.Join(", ", ChangeStatuses.All)}."] });
        }

        // A continuation is the opaque token an earlier page returned; anything else is refused before it reaches storage.
        if (continuation is not null && (continuation.Length > 1024 || !continuation.All(c => c is >= ' ' and <= '~')))
        {
            return ContinuationProblem();
        }

        List<ChangeIndexEntry> items;
        string? next;
        try
        {
            (items, next) = await changes.ListAsync(principal!.Tenant, status, since, until, limit, continuation, request.HttpContext.RequestAborted);
        }
        catch (Azure.RequestFailedException ex) when (continuation is not null && ex.Status is 400)
        {
            return ContinuationProblem();
        }

        return ApiResult.Json(200, new
        {
            changes = items.Where(i => Visibility.CanRead(principal, i.Initiator, i.Visibility, i.Owner, i.ApprovalGroups)).Select(i => new { change_id = i.ChangeId, i.Status, i.Phase, i.Initiator, submitted_at = i.SubmittedAt, updated_at = i.UpdatedAt, plan_hash = i.PlanHash, i.Request, simulated = i.Simulated }),
            continuation = next,
        });
    }

    /// <summary>GET /api/changes/{id}/plan: the plan as JSON, or its dependency graph as Mermaid or DOT.</summary>
    public async Task<ApiResult> GetPlanAsync(HttpRequest request, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal) is { } denied)
        {
            return denied;
        }

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(changeId);
        }

        Plan plan = record.Plan ?? PlanCompiler.Compile(record.Intent);
        string format = request.Query["format"].ToString() is { Length: > 0 } f ? f : "json";
        return format switch
        {
            "json" => ApiResult.Json(200, plan),
            "mermaid" => ApiResult.Text(200, PlanGraph.Mermaid(plan), "text/plain; charset=utf-8"),
            "dot" => ApiResult.Text(200, PlanGraph.Dot(plan), "text/vnd.graphviz; charset=utf-8"),
            _ => ApiResult.Problem(400, "The request is invalid.", "format must be json, mermaid or dot.", new Dictionary<string, string[]> { ["format"] = ["One of: json, mermaid, dot."] }),
        };
    }

    /// <summary>POST /api/changes/{id}/approvals: an authenticated approver's decision, bound to the plan hash.</summary>
    public async Task<ApiResult> ApproveAsync(HttpRequest request, DurableTaskClient client, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Approver) is { } denied)
        {
            return denied;
        }

        (ApprovalRequest? body, ApiResult? bad) = await ReadJsonAsync<ApprovalRequest>(request);
        if (bad is not null)
        {
            return bad;
        }

        return await DecideAsync(principal!, changeId, body!, "api", client, request.HttpContext.RequestAborted);
    }

    /// <summary>
    /// The one path every approval decision takes, whatever its channel: field checks, then the change (tenant and
    /// visibility), its status, the plan-hash binding, separation of duties and group membership. A decision that passes
    /// is raised to the orchestration (which checks it again); one refused for SoD, group or hash is raised as a refused
    /// attempt so it is recorded on the change and in its evidence, and never counts. <paramref name="refusedAtDoor"/> is a
    /// refusal the channel already decided (a webhook naming an approver nobody mapped): it is recorded the same way, on
    /// any change of the sender's tenant, and refused attempts then count against <paramref name="limitedAs"/>.
    /// </summary>
    internal async Task<ApiResult> DecideAsync(UpmPrincipal principal, string changeId, ApprovalRequest body, string channel, DurableTaskClient client, CancellationToken cancellationToken,
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
        ChangeRecord? record = refusedAtDoor is null ? await FindAsync(principal, changeId, cancellationToken)
            : IsChangeId(changeId) ? await changes.GetAsync(principal.Tenant, changeId, cancellationToken) : null;
        if (record is null)
        {
            return NotFound(changeId);
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

    /// <summary>
    /// POST /api/changes/{id}/pause|resume|abort|rollback: operator controls, recorded with who and why. Pause takes effect
    /// before the next wave; abort (and rollback of a running change) stops it and runs the compensations of what was applied.
    /// Only an admin or an approver of one of the change's groups may (<see cref="OperatorAccess"/>); the read-only
    /// <c>rollback?dry_run=true</c> is answered to any approver who may read the change.
    /// </summary>
    public async Task<ApiResult> OperatorAsync(HttpRequest request, DurableTaskClient client, string changeId, string action)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Approver) is { } denied)
        {
            return denied;
        }

        string? reason = null;
        if (request.ContentLength is > 0)
        {
            (OperatorRequest? body, ApiResult? bad) = await ReadJsonAsync<OperatorRequest>(request);
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

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(changeId);
        }

        if (action == OperatorActions.Rollback && request.Query["dry_run"].ToString() is "true" or "1")
        {
            return ApiResult.Json(200, await operations.RollbackDryRunAsync(record, request.HttpContext.RequestAborted));
        }

        if (!OperatorAccess.MayOperate(principal!, record))
        {
            string groups = string.Join(", ", OperatorAccess.ApproverGroups(record));
            logger.LogWarning("Change {ChangeId}: operator {Action} by {Principal} refused: in none of the change's approver groups ({Groups})", changeId, action, principal!.Id, groups);
            return ApiResult.Problem(403, "Not an operator of this change.", $"Operator controls on this change need the admin role or an approver in one of its approver groups: {groups}.");
        }

        if (action == OperatorActions.Rollback && record.Status == ChangeStatuses.Completed)
        {
            return await RollbackFinishedAsync(client, record, principal!, reason, request.Query["force"].ToString(), request.HttpContext.RequestAborted);
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

        var command = new OperatorCommand(action == OperatorActions.Rollback ? OperatorActions.Abort : action, principal!.Id, reason ?? (action == OperatorActions.Rollback ? "rollback requested" : null), clock.GetUtcNow(), principal.DisplayName);
        await client.RaiseEventAsync(changeId, ChangeOrchestrator.OperatorEvent, command, request.HttpContext.RequestAborted);
        logger.LogInformation("Change {ChangeId}: operator {Action} by {Principal}", changeId, action, principal.Id);
        return ApiResult.Json(202, new { change_id = changeId, action, by = principal.Id, reason = command.Reason, accepted_at = command.At, by_name = principal.DisplayName });
    }

    /// <summary>Optional body of the operator routes.</summary>
    public sealed record OperatorRequest(string? Reason);

    /// <summary>GET /api/changes/{id}/evidence: the signed zip evidence pack.</summary>
    public async Task<ApiResult> EvidencePackAsync(HttpRequest request, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Auditor) is { } denied)
        {
            return denied;
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        ChangeRecord? record = await FindAsync(principal!, changeId, cancellationToken);
        if (record is null)
        {
            return NotFound(changeId);
        }

        if (Signer() is not { } signer)
        {
            return SigningKeyUnavailable();
        }

        var (blobs, verification) = await VerifyStoredEvidenceAsync(record, cancellationToken);

        // Permalinks on the configured address: the Host header is the caller's to write and the pack outlives the request.
        byte[] pack = EvidencePack.Build(record, blobs, verification, publicBaseUrl.Origin, signer, clock.GetUtcNow());
        logger.LogInformation("Evidence pack of change {ChangeId} ({Records} records, chain ok: {Ok}) downloaded by {Principal}", changeId, verification.Records, verification.Ok, principal!.Id);
        return ApiResult.Bytes(200, pack, "application/zip")
            .WithHeader("Content-Disposition", $"attachment; filename=\"{changeId}-evidence.zip\"")
            .WithHeader("X-Upm-Evidence-Key-Id", signer.KeyId);
    }

    /// <summary>GET /api/changes/{id}/evidence/verify: re-reads every blob and rechecks hashes and the chain.</summary>
    public async Task<ApiResult> VerifyEvidenceAsync(HttpRequest request, string changeId)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Auditor) is { } denied)
        {
            return denied;
        }

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(changeId);
        }

        var (_, verification) = await VerifyStoredEvidenceAsync(record, request.HttpContext.RequestAborted);
        if (!verification.Ok)
        {
            logger.LogWarning("Evidence of change {ChangeId} failed verification at record {Seq}: {Problem}", changeId, verification.FirstBadRecord, verification.Problem);
        }

        return ApiResult.Json(200, verification);
    }

    /// <summary>GET /api/changes/{id}/evidence/records/{seq}: one evidence record as stored (the pack's permalinks).</summary>
    public async Task<ApiResult> EvidenceRecordAsync(HttpRequest request, string changeId, string seq)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Auditor) is { } denied)
        {
            return denied;
        }

        ChangeRecord? record = await FindAsync(principal!, changeId, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(changeId);
        }

        byte[]? content = int.TryParse(seq, out int number) && number is > 0 and < 100_000_000
            ? await evidence.GetRawAsync(record.Tenant, changeId, number, request.HttpContext.RequestAborted)
            : null;
        return content is null
            ? ApiResult.Problem(404, "Evidence record not found.", $"Change {changeId} has no evidence record {seq}.")
            : ApiResult.Bytes(200, content, "application/json");
    }

    /// <summary>GET /api/evidence/public-key: the key evidence packs are signed with, for offline verification.</summary>
    public Task<ApiResult> PublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(Signer() is { } signer
        ? ApiResult.Json(200, new { key_id = signer.KeyId, algorithm = "ECDSA P-256 with SHA-256, DER signatures", public_key_pem = signer.PublicKeyPem })
        : SigningKeyUnavailable());

    /// <summary>The evidence signer, or null (logged with the setting to fix) when the service has no usable key.</summary>
    EvidenceSigner? Signer()
    {
        try
        {
            return keys.GetSigner();
        }
        catch (EvidenceKeyException ex)
        {
            logger.LogError("Evidence signing key unavailable: {Reason}", ex.Message);
            return null;
        }
    }

    static ApiResult SigningKeyUnavailable() =>
        ApiResult.Problem(503, "Evidence signing key unavailable.", "The service has no usable evidence signing key; the reason is in its log. Retry after the operators fix it.");

    /// <summary>GET /api/kpis?since=: the UPM quality KPIs over the caller's tenant's changes.</summary>
    public async Task<ApiResult> KpisAsync(HttpRequest request)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Auditor) is { } denied)
        {
            return denied;
        }

        if (await KpiInputsAsync(request, principal!) is not ({ } changes, var since))
        {
            return SinceProblem();
        }

        // Headline KPIs are the real-provider changes' only: a simulated (sandbox) change proves nothing about real targets.
        KpiBreakdown split = KpiBreakdown.Of(changes);
        return ApiResult.Json(200, new KpiResponse(principal!.Tenant, since, changes.Count, split.Real.Kpis, split.Real, split.Simulated));
    }

    /// <summary>GET /api/scorecard?since=: the UPM comparison-template row with per-phase levels and evidence gates.</summary>
    public async Task<ApiResult> ScorecardAsync(HttpRequest request)
    {
        if (Authorize(request, out UpmPrincipal? principal, UpmPrincipal.Auditor) is { } denied)
        {
            return denied;
        }

        if (await KpiInputsAsync(request, principal!) is not ({ } changes, var since))
        {
            return SinceProblem();
        }

        PolicySet policies = await preflight.PoliciesAsync(request.HttpContext.RequestAborted);
        ScorecardFacts facts = ScorecardFactsOf(policies, principal!.Tenant);
        // Levels and gates rest on real-provider changes only; the simulated ones are reported beside them, never counted.
        KpiBreakdown split = KpiBreakdown.Of(changes);
        ScorecardRow row = split.Scorecard(facts, id => $"/api/changes/{id}/evidence");
        return ApiResult.Json(200, new ScorecardResponse(principal.Tenant, since, changes.Count, row, facts, split.Real, split.Simulated, split.LevelsBasis));
    }

    // What the scorecard is told about this deployment: read from configuration, never declared. mTLS and the SLO facts
    // stay false until the change that builds them sets them from its configuration.
    ScorecardFacts ScorecardFactsOf(PolicySet policies, string tenant)
    {
        var packs = policies.Packs.Where(p => p.AppliesTo(tenant)).ToList();
        PolicyPack? lane = packs.FirstOrDefault(p => p.AutoApproval is not null);
        return new ScorecardFacts
        {
            EnabledProviders = [.. operations.EnabledProviders.Order(StringComparer.Ordinal)],
            PolicyPacks = [.. packs.Select(p => p.Name)],
            TwoPersonRules = [.. packs.SelectMany(p => p.Approvals).Where(a => a.MinApprovers >= 2).Select(a => a.Id)],
            ChangeWindowCalendars = [.. policies.Calendars.Keys.Order(StringComparer.Ordinal)],
            AutoApprovalLane = lane is null ? null : $"{lane.Name}/{lane.AutoApproval!.Id}",
            PerProviderRateLimits = rateLimits.CoverAll(operations.EnabledProviders),
            RateLimits = rateLimits.Describe(operations.EnabledProviders),
        };
    }

    static ApiResult SinceProblem() => TimeProblem("since");

    static ApiResult ContinuationProblem() => ApiResult.Problem(400, "The request is invalid.", "continuation is not a token this API returned.",
        new Dictionary<string, string[]> { ["continuation"] = ["The continuation value of an earlier page, unchanged."] });

    static bool TryParseTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out at);

    static ApiResult TimeProblem(string name) => ApiResult.Problem(400, "The request is invalid.", $"{name} must be an ISO-8601 date or time.",
        new Dictionary<string, string[]> { [name] = ["An ISO-8601 date or time, e.g. 2026-11-01T00:00:00Z."] });

    // Concurrent KPI and scorecard requests of one tenant over the same window share one read of the changes and their
    // evidence: a burst costs one pass over up to KpiWindow changes, not one per request. A request that arrives after a
    // pass ended starts a new one, so an answer is never older than the pass in flight when it arrived.
    readonly ConcurrentDictionary<(string Tenant, string Since), Lazy<Task<List<KpiChange>>>> kpiReads = new();

    // The newest changes (at most KpiWindow) submitted since the given time, with their evidence checked.
    async Task<(List<KpiChange>? Changes, DateTimeOffset Since)> KpiInputsAsync(HttpRequest request, UpmPrincipal principal)
    {
        DateTimeOffset since = clock.GetUtcNow().AddDays(-30);
        string sinceText = request.Query["since"].ToString();
        if (sinceText is { Length: > 0 } && !TryParseTime(sinceText, out since))
        {
            return (null, since);
        }

        var key = (principal.Tenant, sinceText);
        Lazy<Task<List<KpiChange>>>? read = null;
        read = new Lazy<Task<List<KpiChange>>>(() => ReadKpiChangesThenForgetAsync(key, since, () => read!));
        List<KpiChange> shared = await kpiReads.GetOrAdd(key, read).Value.WaitAsync(request.HttpContext.RequestAborted);
        return (shared, since);
    }

    async Task<List<KpiChange>> ReadKpiChangesThenForgetAsync((string Tenant, string Since) key, DateTimeOffset since, Func<Lazy<Task<List<KpiChange>>>> self)
    {
        try
        {
            return await ReadKpiChangesAsync(key.Tenant, since, CancellationToken.None);
        }
        finally
        {
            kpiReads.TryRemove(KeyValuePair.Create(key, self()));
        }
    }

    async Task<List<KpiChange>> ReadKpiChangesAsync(string tenant, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const int KpiWindow = 500;
        var (entries, _) = await changes.ListAsync(tenant, null, since, null, KpiWindow, null, cancellationToken);
        using var gate = new SemaphoreSlim(8);
        KpiChange?[] loaded = await Task.WhenAll(entries.Select(async entry =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                ChangeRecord? record = await changes.GetAsync(entry.Tenant, entry.ChangeId, cancellationToken);
                if (record is null)
                {
                    return null;
                }

                var (blobs, verification) = await VerifyStoredEvidenceAsync(record, cancellationToken);
                var kinds = blobs.Select(b => b.Name[(b.Name.LastIndexOf('/') + 10)..^".json".Length]).ToHashSet(StringComparer.Ordinal);
                DriftReport? drift = record.Status == ChangeStatuses.Completed ? await changes.GetDriftReportAsync(record.Tenant, record.ChangeId, cancellationToken) : null;
                return new KpiChange(record, verification, kinds) { Drift = drift };
            }
            finally
            {
                gate.Release();
            }
        }));
        return loaded.OfType<KpiChange>().ToList();
    }

    async Task<(List<StoredEvidence> Blobs, EvidenceVerification Verification)> VerifyStoredEvidenceAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        // The index row is the authority for how long the chain is: a removed tail is caught against it.
        ChangeIndexEntry? index = await changes.GetIndexAsync(record.Tenant, record.ChangeId, cancellationToken);
        List<StoredEvidence> blobs = await evidence.ListRawAsync(record.Tenant, record.ChangeId, cancellationToken);
        return (blobs, EvidenceVerifier.Verify(blobs, index?.EvidenceRecords ?? record.Evidence.Records, index?.ChainHead ?? record.Evidence.ChainHead));
    }

    // Reads, validates and compiles a change request for the caller's tenant; on failure, the problem to answer.
    async Task<(ChangeSpec? Spec, Plan? Plan, ApiResult? Problem)> ReadChangeAsync(HttpRequest request, UpmPrincipal principal)
    {
        (ChangeRequest? body, ApiResult? bad) = await ReadJsonAsync<ChangeRequest>(request);
        if (bad is not null)
        {
            return (null, null, bad);
        }

        try
        {
            ChangeSpec spec = ChangeRequestValidator.Validate(body, operations.EnabledProviders);
            if (operations.Unsupported(spec) is { Count: > 0 } unsupported)
            {
                return (null, null, ApiResult.Problem(400, "The request is invalid.", $"This host cannot run the change as asked: {string.Join(" ", unsupported.Values.SelectMany(v => v))}", unsupported));
            }

            Plan plan = PlanCompiler.Compile(spec);
            if (spec.Tenant != principal.Tenant)
            {
                return (null, null, ApiResult.Problem(403, "Wrong tenant.", $"You may plan and submit changes only for tenant '{principal.Tenant}'.",
                    new Dictionary<string, string[]> { ["tenant"] = [$"Must be your tenant, '{principal.Tenant}'."] }));
            }

            // The server decides approvals: the policy's minimum and groups stand whatever the request asks (a lower count is
            // raised to the minimum, named on the record); the groups and count in force are recorded on the change.
            ApprovalRequirement approvals = await preflight.ApprovalsAsync(spec, plan, principal.Id, clock.GetUtcNow(), request.HttpContext.RequestAborted);

            // The plan lists the approver groups, so it is compiled again from the spec as it will run: the plan hash
            // the submitter is given must be the one approvers bind to.
            ChangeSpec decided = spec with { ApprovalGroups = approvals.EligibleGroups, ApprovalsRequired = approvals.Required };
            return (decided, PlanCompiler.Compile(decided), null);
        }
        catch (Core.Policy.PolicyPackException ex)
        {
            logger.LogError(ex, "Policy packs cannot be evaluated");
            return (null, null, ApiResult.Problem(503, "Policy unavailable.", "The approval policy cannot be evaluated now; nothing was submitted. Try again later."));
        }
        catch (ChangeValidationException ex)
        {
            return (null, null, ApiResult.Invalid(ex.Errors));
        }
    }

    /// <summary>Body of POST /api/changes/{id}/approvals.</summary>
    public sealed record ApprovalRequest(string? Decision, string? PlanHash, string? Comment);

    ApiResult? Authorize(HttpRequest request, out UpmPrincipal? principal, params string[] roles)
    {
        principal = principals.Resolve(request);
        if (principal is null)
        {
            return ApiResult.Problem(401, "Authentication required.", "Send 'Authorization: Bearer <api key>'.")
                .WithHeader("WWW-Authenticate", "Bearer");
        }

        if (roles.Length > 0 && !principal.HasAnyRole(roles))
        {
            return ApiResult.Problem(403, "Forbidden.", $"This route needs the role {string.Join(" or ", roles)}.");
        }

        return null;
    }

    // Tenant-scoped by the store; visibility-scoped here. A change the caller may not see is not found (never 403).
    async Task<ChangeRecord?> FindAsync(UpmPrincipal principal, string changeId, CancellationToken cancellationToken)
    {
        if (!IsChangeId(changeId))
        {
            return null;
        }

        ChangeRecord? record = await changes.GetAsync(principal.Tenant, changeId, cancellationToken);
        return record is not null && Visibility.CanRead(principal, record.Initiator, record.Intent.Visibility, record.Intent.Owner, record.Intent.ApprovalGroups) ? record : null;
    }

    static bool IsChangeId(string value) => value.Length is > 4 and <= 64 && value.StartsWith("chg-", StringComparison.Ordinal) && value[4..].All(char.IsAsciiHexDigitLower);

    static ApiResult NotFound(string changeId) =>
        ApiResult.Problem(404, "Change not found.", $"No change '{(changeId.Length > 64 ? changeId[..64] : changeId)}' in your tenant.");

    static ApiResult Accepted(int status, string changeId, string changeStatus, string planHash) =>
        ApiResult.Json(status, new
        {
            change_id = changeId,
            status = changeStatus,
            plan_hash = planHash,
            links = new
            {
                self = $"/api/changes/{changeId}",
                plan = $"/api/changes/{changeId}/plan",
                approvals = $"/api/changes/{changeId}/approvals",
                evidence = $"/api/changes/{changeId}/evidence",
            },
        }).WithHeader("Location", $"/api/changes/{changeId}");

    static string NewChangeId() => "chg-" + Guid.CreateVersion7().ToString("N");

    internal static async Task<(T? Body, ApiResult? Problem)> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, ApiResult.Problem(400, "The request is invalid.", "A JSON body is required.", new Dictionary<string, string[]> { ["$"] = ["A JSON object is required."] }));
        }

        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return (null, ApiResult.Problem(400, "The request is not valid JSON for this route.", "The body is not valid UTF-8.", new Dictionary<string, string[]> { ["$"] = ["UTF-8 encoded JSON."] }));
        }

        try
        {
            T? body = JsonSerializer.Deserialize<T>(buffer.ToArray(), UpmJson.StrictRequest);
            return body is null
                ? (null, ApiResult.Problem(400, "The request is invalid.", "A JSON object is required.", new Dictionary<string, string[]> { ["$"] = ["A JSON object is required."] }))
                : (body, null);
        }
        catch (JsonException ex)
        {
            string field = ex.Path is null or "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
            string message = ex.Message.Split(" Path:", 2)[0];
            return (null, ApiResult.Problem(400, "The request is not valid JSON for this route.", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] }));
        }
    }

    static ApiResult TooLarge() => ApiResult.Problem(413, "Request body too large.", $"At most {MaxBodyBytes} bytes.");
}
