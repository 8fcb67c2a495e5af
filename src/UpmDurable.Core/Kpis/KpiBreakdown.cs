using UpmDurable.Core.Model;

namespace UpmDurable.Core.Kpis;

/// <summary>
/// KPIs computed separately over real-provider changes and simulated ones (<see cref="SimulatedRuns"/>). Headline KPIs and
/// scorecard levels are the <see cref="Real"/> ones: a simulated change proves nothing about real targets.
/// </summary>
public sealed record KpiBreakdown(IReadOnlyList<KpiChange> RealChanges, KpiSection Real, KpiSection Simulated)
{
    /// <summary>Splits the changes with the one rule and computes each side's KPIs.</summary>
    public static KpiBreakdown Of(IReadOnlyList<KpiChange> changes)
    {
        var (real, simulated) = SimulatedRuns.Split(changes, c => c.Record);
        return new KpiBreakdown(real, new KpiSection(real.Count, KpiCalculator.Compute(real)), new KpiSection(simulated.Count, KpiCalculator.Compute(simulated)));
    }

    /// <summary>The scorecard row: levels, gates and evidence links from the real-provider changes and their KPIs only.</summary>
    public ScorecardRow Scorecard(ScorecardFacts facts, Func<string, string> evidenceLink) => ScorecardBuilder.Build(RealChanges, Real.Kpis, facts, evidenceLink);

    /// <summary><c>real_changes</c> when levels rest on at least one real-provider change; <c>no_data</c> when none ran (every level 0).</summary>
    public string LevelsBasis => Real.Changes > 0 ? "real_changes" : "no_data";
}
