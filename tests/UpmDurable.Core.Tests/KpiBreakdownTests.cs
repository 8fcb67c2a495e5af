using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using Xunit;
using static UpmDurable.Core.Tests.KpiCalculatorTests;

namespace UpmDurable.Core.Tests;

/// <summary>Simulated (sandbox) changes are reported apart from real-provider ones and never count toward headline KPIs or levels.</summary>
public sealed class KpiBreakdownTests
{
    static readonly string[] FullKinds = ["plan", "preflight", "approval", "execute", "verify", "audit"];

    static readonly ScorecardFacts Facts = new() { EnabledProviders = ["cli", "sandbox"], PolicyPacks = ["default"], TwoPersonRules = ["two"], ChangeWindowCalendars = ["weekdays"] };

    static KpiChange Sandbox(string id, string status) => Ok(Change(id, status, verifyMs: 100), FullKinds);

    static KpiChange Real(string id, string status)
    {
        ChangeRecord record = Change(id, status, verifyMs: 100);
        return Ok(record with { Intent = record.Intent with { Provider = "cli" } }, FullKinds);
    }

    static Kpi Named(IEnumerable<Kpi> kpis, string name) => kpis.Single(k => k.Name == name);

    [Fact]
    public void Real_and_simulated_changes_are_counted_and_computed_apart()
    {
        KpiBreakdown split = KpiBreakdown.Of([Sandbox("s1", ChangeStatuses.Completed), Sandbox("s2", ChangeStatuses.Completed), Real("r1", ChangeStatuses.Failed)]);

        Assert.Equal((1, 2), (split.Real.Changes, split.Simulated.Changes));
        Assert.Equal(["r1"], split.RealChanges.Select(c => c.Record.ChangeId));
        Assert.Equal(0, Named(split.Real.Kpis, "change_success_pct").Value);
        Assert.Equal(100, Named(split.Simulated.Kpis, "change_success_pct").Value);
        Assert.Equal("real_changes", split.LevelsBasis);
    }

    [Fact]
    public void Only_simulated_changes_give_no_data_and_every_level_0_however_well_they_ran()
    {
        List<KpiChange> sandboxOnly = [.. Enumerable.Range(0, 30).Select(i => Sandbox($"s{i}", ChangeStatuses.Completed))];

        KpiBreakdown split = KpiBreakdown.Of(sandboxOnly);
        ScorecardRow row = split.Scorecard(Facts, id => $"/api/changes/{id}/evidence");

        Assert.Equal("no_data", split.LevelsBasis);
        Assert.All(split.Real.Kpis, k => Assert.Equal("no_data", k.Band));
        Assert.Equal("L4", Named(split.Simulated.Kpis, "change_success_pct").Band);
        Assert.All(row.Phases, p => Assert.Equal(0, p.Level));
        Assert.Equal(0, row.Overall);
        Assert.Empty(row.EvidenceLinks);

        // The same changes on a real provider do reach levels: the zero above is the simulation rule, not the data.
        ScorecardRow realRow = KpiBreakdown.Of([.. sandboxOnly.Select(c => c with { Record = c.Record with { Intent = c.Record.Intent with { Provider = "cli" } } })])
            .Scorecard(Facts, id => $"/api/changes/{id}/evidence");
        Assert.True(realRow.Overall > 0);
    }

    [Fact]
    public void Scorecard_evidence_links_never_point_at_a_simulated_change()
    {
        KpiBreakdown split = KpiBreakdown.Of([Sandbox("s1", ChangeStatuses.Completed), Real("r1", ChangeStatuses.Completed)]);

        ScorecardRow row = split.Scorecard(Facts, id => $"/api/changes/{id}/evidence");

        Assert.Equal(["/api/changes/r1/evidence"], row.EvidenceLinks);
    }
}
