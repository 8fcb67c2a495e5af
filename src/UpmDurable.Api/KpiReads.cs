using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Core.Policy;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Api;

/// <summary>The UPM quality KPIs and the scorecard row of a tenant, over its newest changes with their evidence checked.</summary>
public sealed class KpiReads(ChangeStore changes, KpiFacts facts, Preflight preflight, ChangeOperations operations, ProviderRateLimits rateLimits, TimeProvider clock)
{
    const int KpiWindow = 500;

    // Concurrent KPI and scorecard requests of one tenant over the same window share one read of the changes and their
    // evidence: a burst costs one pass over up to KpiWindow changes, not one per request. A request that arrives after a
    // pass ended starts a new one, so an answer is never older than the pass in flight when it arrived.
    readonly ConcurrentDictionary<(string Tenant, string Since), Lazy<Task<List<KpiChange>>>> kpiReads = new();

    /// <summary>GET /api/kpis?since=: the UPM quality KPIs over the caller's tenant's changes.</summary>
    public async Task<ApiResult> KpisAsync(HttpRequest request, UpmPrincipal principal)
    {
        if (await KpiInputsAsync(request, principal) is not ({ } changes, var since))
        {
            return QueryTime.Problem("since");
        }

        // Headline KPIs are the real-provider changes' only: a simulated (sandbox) change proves nothing about real targets.
        KpiBreakdown split = KpiBreakdown.Of(changes);
        return ApiResult.Json(200, new KpiResponse(principal.Tenant, since, changes.Count, split.Real.Kpis, split.Real, split.Simulated));
    }

    /// <summary>GET /api/scorecard?since=: the UPM comparison-template row with per-phase levels and evidence gates.</summary>
    public async Task<ApiResult> ScorecardAsync(HttpRequest request, UpmPrincipal principal)
    {
        if (await KpiInputsAsync(request, principal) is not ({ } changes, var since))
        {
            return QueryTime.Problem("since");
        }

        PolicySet policies = await preflight.PoliciesAsync(request.HttpContext.RequestAborted);
        ScorecardFacts facts = ScorecardFactsOf(policies, principal.Tenant);
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

    // The newest changes (at most KpiWindow) submitted since the given time, with their evidence checked.
    async Task<(List<KpiChange>? Changes, DateTimeOffset Since)> KpiInputsAsync(HttpRequest request, UpmPrincipal principal)
    {
        DateTimeOffset since = clock.GetUtcNow().AddDays(-30);
        string sinceText = request.Query["since"].ToString();
        if (sinceText is { Length: > 0 } && !QueryTime.TryParse(sinceText, out since))
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
        var (entries, _) = await changes.ListAsync(tenant, null, since, null, KpiWindow, null, cancellationToken);
        using var gate = new SemaphoreSlim(8);
        KpiChange?[] loaded = await Task.WhenAll(entries.Select(async entry =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await facts.ReadAsync(entry.Tenant, entry.ChangeId, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        facts.Retain(tenant, entries.Select(e => e.ChangeId).ToHashSet(StringComparer.Ordinal));
        return loaded.OfType<KpiChange>().ToList();
    }
}
