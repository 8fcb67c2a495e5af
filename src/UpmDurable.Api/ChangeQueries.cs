using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Storage;

namespace UpmDurable.Api;

/// <summary>Reads of changes: one change record, the tenant's list (filtered and paged), a change's plan or its graph.</summary>
public sealed class ChangeQueries(ChangeStore changes)
{
    /// <summary>GET /api/changes/{id}: the change record, shown failed when its orchestration died between two saves.</summary>
    public static async Task<ApiResult> GetAsync(ChangeRecord record, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!ChangeStatuses.IsFinal(record.Status))
        {
            // The record is saved at each transition; an orchestration that died in between must still show as failed.
            OrchestrationMetadata? instance = await client.GetInstanceAsync(record.ChangeId, getInputsAndOutputs: false, cancellationToken);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated })
            {
                record = record with { Status = ChangeStatuses.Failed, Reason = instance.FailureDetails?.ErrorMessage ?? $"orchestration {instance.RuntimeStatus}" };
            }
        }

        return ApiResult.Json(200, record);
    }

    /// <summary>GET /api/changes: the caller's tenant's changes it may read.</summary>
    public async Task<ApiResult> ListAsync(HttpRequest request, UpmPrincipal principal)
    {
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

            if (!QueryTime.TryParse(text, out DateTimeOffset at))
            {
                return QueryTime.Problem(name);
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
            (items, next) = await changes.ListAsync(principal.Tenant, status, since, until, limit, continuation, request.HttpContext.RequestAborted);
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
    public static ApiResult Plan(ChangeRecord record, HttpRequest request)
    {
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

    static ApiResult ContinuationProblem() => ApiResult.Problem(400, "The request is invalid.", "continuation is not a token this API returned.",
        new Dictionary<string, string[]> { ["continuation"] = ["The continuation value of an earlier page, unchanged."] });
}
