using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>Computes the <see cref="PlanAnnotation"/> of a plan. Pure: the caller passes who and when.</summary>
/// <remarks>
/// Risk score (0-100) = kinds + blast radius + prod endpoint + destructive, where
/// <list type="bullet">
/// <item><b>kinds</b> = min(40, Σ <see cref="ResourceKind.RiskWeight"/> over the distinct resource types of the plan)
/// (weights: az_aks 30, az_key_vault 20, az_vnet/az_subnet/k8s_deployment 15, az_resource_group/az_storage_account/k8s_service 10,
/// k8s_namespace/k8s_configmap 5);</item>
/// <item><b>blast radius</b> = min(25, steps + 2 × (waves − 1));</item>
/// <item><b>prod endpoint</b> = 20 when <c>cluster_endpoint_id</c> starts with <c>prod</c> (case-insensitive), else 0;</item>
/// <item><b>destructive</b> = min(15, 5 × destructive steps), a destructive step being one whose command's verb is
/// destructive (<see cref="Execution.CommandCatalog.IsDestructive"/>: delete, purge, remove, …).</item>
/// </list>
/// Level: low below 30, medium below 60, high from 60.
/// </remarks>
public static class PlanAnnotator
{
    public const string DefaultWindow = "default";

    /// <summary>Annotates a compiled plan.</summary>
    public static PlanAnnotation Annotate(ChangeSpec spec, Plan plan, string initiator, DateTimeOffset submittedAt)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var byType = plan.Steps.GroupBy(s => s.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Kind: ResourceCatalog.Find(g.Key), Type: g.Key, Count: g.Count())).ToList();
        var cost = byType.Select(t =>
        {
            decimal each = t.Kind?.MonthlyCostUsd ?? 0m;
            return new CostLine(t.Type, t.Count, each, each * t.Count);
        }).ToList();

        RiskFactors factors = Risk(spec, plan);
        int score = Math.Min(100, factors.Kinds + factors.BlastRadius + factors.ProdEndpoint + factors.Destructive);
        return new PlanAnnotation
        {
            Initiator = initiator,
            Request = spec.Request,
            SubmittedAt = submittedAt,
            Owner = spec.Owner,
            Ticket = spec.Ticket,
            ChangeWindow = spec.WindowCalendar ?? DefaultWindow,
            ImpactNotes = byType.Select(t => new ImpactNote(t.Type, t.Count, t.Kind?.ImpactNote ?? string.Empty)).ToList(),
            Cost = cost,
            MonthlyCostUsd = cost.Sum(c => c.MonthlyUsd),
            RiskScore = score,
            RiskLevel = score < 30 ? "low" : score < 60 ? "medium" : "high",
            RiskFactors = factors,
        };
    }

    /// <summary>The number of steps whose command destroys something (by its verb, not a word anywhere in it).</summary>
    public static int DestructiveSteps(Plan plan) => plan.Steps.Count(s => Execution.CommandCatalog.IsDestructive(s.Command));

    /// <summary>Whether the change targets a production endpoint.</summary>
    public static bool IsProd(ChangeSpec spec) =>
        spec.ClusterEndpointId is not null && spec.ClusterEndpointId.StartsWith("prod", StringComparison.OrdinalIgnoreCase);

    static RiskFactors Risk(ChangeSpec spec, Plan plan)
    {
        int kinds = Math.Min(40, plan.Steps.Select(s => s.Type).Distinct(StringComparer.Ordinal).Sum(t => ResourceCatalog.Find(t)?.RiskWeight ?? 10));
        int blast = Math.Min(25, plan.Steps.Count + (2 * Math.Max(0, plan.Waves.Count - 1)));
        int prod = IsProd(spec) ? 20 : 0;
        int destructiveSteps = DestructiveSteps(plan);
        int destructive = Math.Min(15, 5 * destructiveSteps);
        return new RiskFactors(kinds, blast, prod, destructive, destructiveSteps);
    }
}
