using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Policy;

/// <summary>The variables a policy condition sees. Absent strings are <c>''</c>, numbers are ints or doubles.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>change</c>: request, source, tenant, visibility, owner, ticket {system, id} (<c>null</c> when absent), cloud, provider,
/// cluster_endpoint_id, prod (bool: endpoint starts with "prod"), approvals_required, approval_groups, max_parallel,
/// window_calendar, window_wait, resources_from_request, variants.</item>
/// <item><c>resources</c>: list of {id, type, name, location, resource_group, cluster, namespace, depends_on, properties (map),
/// ensure (<c>present</c> or <c>absent</c>), adopt (bool: the request's flag), and from pre-flight's dry run: action
/// (<c>create</c>, <c>update</c>, <c>unchanged</c>, <c>delete</c>; <c>''</c> before pre-flight), adopting (bool: the step takes
/// over an existing resource the service did not create), irreversible (bool: the provider cannot restore it)}.</item>
/// <item><c>plan</c>: plan_hash, step_count, wave_count, max_wave_size, destructive_steps, commands, types (distinct, sorted),
/// delete_steps (<c>ensure: absent</c>), adopt_steps (resources with <c>adopt: true</c>), and from the dry run: adoptions,
/// irreversible_steps (0 before pre-flight).</item>
/// <item><c>annotation</c>: initiator, risk_score, risk_level, monthly_cost_usd (double), change_window.</item>
/// <item><c>resource</c>: the current resource, for rules with scope <c>resource</c>.</item>
/// </list>
/// </remarks>
public static class PolicyContext
{
    /// <summary>Builds the variables of a condition.</summary>
    public static Dictionary<string, object?> Build(ChangeSpec spec, Plan plan, PlanAnnotation annotation, DryRunFacts? facts = null)
    {
        facts ??= DryRunFacts.None;
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(annotation);
        var change = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["request"] = spec.Request,
            ["source"] = spec.Source,
            ["tenant"] = spec.Tenant,
            ["visibility"] = spec.Visibility,
            ["owner"] = spec.Owner,
            ["ticket"] = spec.Ticket is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["system"] = spec.Ticket.System ?? string.Empty,
                ["id"] = spec.Ticket.Id ?? string.Empty,
            },
            ["cloud"] = spec.Cloud,
            ["provider"] = spec.Provider,
            ["cluster_endpoint_id"] = spec.ClusterEndpointId ?? string.Empty,
            ["prod"] = PlanAnnotator.IsProd(spec),
            ["approvals_required"] = (long)spec.ApprovalsRequired,
            ["approval_groups"] = spec.ApprovalGroups.Cast<object?>().ToList(),
            ["max_parallel"] = (long)spec.MaxParallel,
            ["window_calendar"] = spec.WindowCalendar ?? string.Empty,
            ["window_wait"] = spec.WindowWait,
            ["resources_from_request"] = spec.ResourcesFromRequest,
            ["variants"] = spec.Variants.Cast<object?>().ToList(),
        };

        var resources = plan.Steps.Select(s => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = s.Id,
            ["type"] = s.Type,
            ["name"] = s.Name,
            ["location"] = s.Resource.Location ?? string.Empty,
            ["resource_group"] = s.Resource.ResourceGroup ?? string.Empty,
            ["cluster"] = s.Resource.Cluster ?? string.Empty,
            ["namespace"] = s.Resource.Namespace ?? string.Empty,
            ["depends_on"] = s.DependsOn.Cast<object?>().ToList(),
            ["properties"] = (s.Resource.Properties ?? []).ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
            ["ensure"] = s.Resource.Ensure ?? Ensures.Present,
            ["adopt"] = s.Resource.Adopt == true,
            ["action"] = facts.Actions.GetValueOrDefault(s.Id, string.Empty),
            ["adopting"] = facts.Adoptions.Contains(s.Id, StringComparer.Ordinal),
            ["irreversible"] = facts.Irreversible.ContainsKey(s.Id),
        }).ToList();

        var planVars = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["plan_hash"] = plan.PlanHash,
            ["step_count"] = (long)plan.Steps.Count,
            ["wave_count"] = (long)plan.Waves.Count,
            ["max_wave_size"] = (long)(plan.Waves.Count == 0 ? 0 : plan.Waves.Max(w => w.Count)),
            ["destructive_steps"] = (long)PlanAnnotator.DestructiveSteps(plan),
            ["commands"] = plan.Commands.Cast<object?>().ToList(),
            ["types"] = plan.Steps.Select(s => s.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            ["delete_steps"] = (long)plan.Steps.Count(s => Ensures.IsAbsent(s.Resource)),
            ["adopt_steps"] = (long)plan.Steps.Count(s => s.Resource.Adopt == true),
            ["adoptions"] = (long)facts.Adoptions.Count,
            ["irreversible_steps"] = (long)facts.Irreversible.Count,
        };

        var annotationVars = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["initiator"] = annotation.Initiator,
            ["risk_score"] = (long)annotation.RiskScore,
            ["risk_level"] = annotation.RiskLevel,
            ["monthly_cost_usd"] = (double)annotation.MonthlyCostUsd,
            ["change_window"] = annotation.ChangeWindow,
        };

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["change"] = change,
            ["resources"] = resources,
            ["plan"] = planVars,
            ["annotation"] = annotationVars,
        };
    }

    static object? ToCel(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out long n) => n,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => value.GetRawText(),
    };
}
