using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Api;

/// <summary>
/// Submission and its dry run share one preamble (<see cref="ReadAsync"/>): the body is read, validated against the enabled
/// providers, compiled, held to the caller's tenant, and given the approvals the policy decides. Bad input never starts an
/// orchestration.
/// </summary>
public sealed class ChangeSubmission(ChangeStore changes, Preflight preflight, ChangeOperations operations, TimeProvider clock, ILogger<ChangeSubmission> logger)
{
    /// <summary>POST /api/changes: validate, compile, record and start a change.</summary>
    public async Task<ApiResult> SubmitAsync(HttpRequest request, UpmPrincipal principal, DurableTaskClient client)
    {
        var compiled = await ReadAsync(request, principal);
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

            string keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{principal.Tenant}\n{idempotencyKey}")));
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
        ChangeRecord record = ChangeRecords.Submitted(changeId, spec, principal.Id, principal.DisplayName, now) with
        {
            AuditTrace = [new AuditEntry(now, Phases.Plan, $"change submitted by {principal.Id}")],
        };

        // Index first, then start: a crash in between leaves a 'submitted' row that a retry with the same key completes.
        await changes.CreateAsync(record, requestHash, request.HttpContext.RequestAborted);
        if (await client.GetInstanceAsync(changeId, request.HttpContext.RequestAborted) is null)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ChangeOrchestrator),
                new ChangeInput(changeId, spec.Tenant, principal.Id, now, spec) { Plan = plan, InitiatorName = principal.DisplayName },
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
    public async Task<ApiResult> DryRunAsync(HttpRequest request, UpmPrincipal principal)
    {
        var compiled = await ReadAsync(request, principal);
        if (compiled.Problem is not null)
        {
            return compiled.Problem;
        }

        ChangeSpec spec = compiled.Spec!;
        Plan plan = compiled.Plan!;

        PreflightReport report = await preflight.RunAsync(
            new PreflightInput(spec.Tenant, "dry-run", spec.Provider, plan, spec, principal.Id, clock.GetUtcNow()), request.HttpContext.RequestAborted);
        return ApiResult.Json(200, DryRunAnswer.From(spec, plan, report));
    }

    // Reads, validates and compiles a change request for the caller's tenant; on failure, the problem to answer.
    async Task<ChangeReading> ReadAsync(HttpRequest request, UpmPrincipal principal)
    {
        (ChangeRequest? body, ApiResult? bad) = await RequestBody.ReadJsonAsync<ChangeRequest>(request);
        if (bad is not null)
        {
            return ChangeReading.Refused(bad);
        }

        try
        {
            ChangeSpec spec = ChangeRequestValidator.Validate(body, operations.EnabledProviders);
            if (operations.Unsupported(spec) is { Count: > 0 } unsupported)
            {
                return ChangeReading.Refused(ApiResult.Problem(400, "The request is invalid.", $"This host cannot run the change as asked: {string.Join(" ", unsupported.Values.SelectMany(v => v))}", unsupported));
            }

            Plan plan = PlanCompiler.Compile(spec);
            if (spec.Tenant != principal.Tenant)
            {
                return ChangeReading.Refused(ApiResult.Problem(403, "Wrong tenant.", $"You may plan and submit changes only for tenant '{principal.Tenant}'.",
                    new Dictionary<string, string[]> { ["tenant"] = [$"Must be your tenant, '{principal.Tenant}'."] }));
            }

            // The server decides approvals: the policy's minimum and groups stand whatever the request asks (a lower count is
            // raised to the minimum, named on the record); the groups and count in force are recorded on the change.
            ApprovalRequirement approvals = await preflight.ApprovalsAsync(spec, plan, principal.Id, clock.GetUtcNow(), request.HttpContext.RequestAborted);

            // The plan lists the approver groups, so it is compiled again from the spec as it will run: the plan hash
            // the submitter is given must be the one approvers bind to.
            ChangeSpec decided = spec with { ApprovalGroups = approvals.EligibleGroups, ApprovalsRequired = approvals.Required };
            return new ChangeReading(decided, PlanCompiler.Compile(decided), null);
        }
        catch (Core.Policy.PolicyPackException ex)
        {
            logger.LogError(ex, "Policy packs cannot be evaluated");
            return ChangeReading.Refused(ApiResult.Problem(503, "Policy unavailable.", "The approval policy cannot be evaluated now; nothing was submitted. Try again later."));
        }
        catch (ChangeValidationException ex)
        {
            return ChangeReading.Refused(ApiResult.Invalid(ex.Errors));
        }
    }

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
}
