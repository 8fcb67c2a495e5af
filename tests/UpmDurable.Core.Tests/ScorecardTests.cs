using UpmDurable.Core.Audit;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using Xunit;
using static UpmDurable.Core.Tests.KpiCalculatorTests;

namespace UpmDurable.Core.Tests;

public sealed class ScorecardTests
{
    static readonly string[] FullKinds = ["plan", "preflight", "approval", "execute", "verify", "audit"];
    static readonly string[] RollbackKinds = ["plan", "preflight", "approval", "execute", "rollback", "audit"];

    // Every fact a deployment could be given, set: what the scorecard would say once mTLS, rate limits and SLOs ship.
    static readonly ScorecardFacts Everything = new()
    {
        EnabledProviders = ["cli", "sandbox"], PolicyPacks = ["default"], TwoPersonRules = ["prod-needs-two"],
        ChangeWindowCalendars = ["weekdays"], AutoApprovalLane = "default/low-risk",
        MutualTlsToTargets = true, PerProviderRateLimits = true, PreflightSlos = true, PostChangeSlos = true, ChangeSlos = true,
    };

    // What the API builds today from policies/default.yaml and the default rate limits: the features that are not built
    // stay false, and the sandbox has no rate limit unless one is configured.
    static readonly ScorecardFacts Today = Everything with { RateLimits = ["cli: 120/min, 8 in flight", "sandbox: off"], MutualTlsToTargets = false, PerProviderRateLimits = false, PreflightSlos = false, PostChangeSlos = false, ChangeSlos = false };

    static ChangeRecord Annotated(ChangeRecord record) =>
        record with { Preflight = record.Preflight! with { Annotation = PlanAnnotator.Annotate(record.Intent, record.Plan!, record.Initiator, record.SubmittedAt) } };

    static KpiChange Completed(string id) =>
        Ok(Annotated(Change(id, ChangeStatuses.Completed, verifyMs: 100)), FullKinds) with
        {
            Drift = new DriftReport { ChangeId = id, Tenant = "acme", Status = DriftStatuses.InSync, Mode = "detect", Interval = "PT1H", ResourcesChecked = 1 },
        };

    static KpiChange RolledBack(string id, double minutes = 6) => Ok(Annotated(Change(id, ChangeStatuses.RolledBack, rollbackMinutes: minutes)), RollbackKinds);

    // 60 completed changes and one rolled back: every KPI the levels use reaches its L4 band.
    static List<KpiChange> Healthy() => [.. Enumerable.Range(0, 60).Select(i => Completed($"c{i}")), RolledBack("r")];

    static ScorecardRow Build(IReadOnlyList<KpiChange> changes, ScorecardFacts facts) =>
        ScorecardBuilder.Build(changes, KpiCalculator.Compute(changes), facts, id => $"/api/changes/{id}/evidence");

    static PhaseScore Phase(ScorecardRow row, string phase) => row.Phases.Single(p => p.Phase == phase);

    static ScorecardClause Clause(ScorecardRow row, string phase, int level) => Phase(row, phase).Clauses.Single(c => c.Level == level);

    [Fact]
    public void Scorecard_reaches_4_everywhere_when_every_fact_and_KPI_holds()
    {
        ScorecardRow row = Build(Healthy(), Everything);

        Assert.All(row.Phases, p => Assert.Equal(4, p.Level));
        Assert.All(row.Phases.SelectMany(p => p.Clauses), c => Assert.True(c.Holds, c.Clause + ": " + c.Evidence));
        Assert.Equal(4, row.Overall);
        Assert.Empty(row.GatesApplied);
        Assert.Equal(["/api/changes/c0/evidence", "/api/changes/r/evidence"], row.EvidenceLinks);
    }

    [Fact]
    public void Scorecard_shows_what_is_not_built_today_as_unmet_with_its_reason()
    {
        ScorecardRow row = Build(Healthy(), Today);

        ScorecardClause mtls = Clause(row, "execute", 2);
        Assert.False(mtls.Holds);
        Assert.Contains("mTLS to targets: not shipped", mtls.Evidence);
        ScorecardClause rateLimits = Clause(row, "execute", 3);
        Assert.False(rateLimits.Holds);
        Assert.Contains("per-provider rate limits: not every enabled provider has one (cli: 120/min, 8 in flight; sandbox: off)", rateLimits.Evidence);
        Assert.Equal(1, Phase(row, "execute").Level);

        ScorecardClause preflightL4 = Clause(row, "preflight", 4);
        Assert.False(preflightL4.Holds);
        Assert.Contains("auto-approval lane: default/low-risk", preflightL4.Evidence);
        Assert.Contains("risk score", preflightL4.Evidence);
        Assert.Contains("pre-flight SLOs: not shipped", preflightL4.Evidence);
        Assert.Equal(3, Phase(row, "preflight").Level);

        Assert.Contains("post-change SLO checks: not shipped", Clause(row, "verify", 4).Evidence);
        Assert.Contains("change SLOs: not shipped", Clause(row, "audit", 4).Evidence);
        Assert.Equal(1, row.Overall);
    }

    public static TheoryData<string, string, int> FactClauses => new()
    {
        { "no change-window calendar", "plan", 3 },
        { "no policy pack", "preflight", 3 },
        { "no two-person rule", "preflight", 3 },
        { "no auto-approval lane", "preflight", 4 },
        { "no pre-flight SLOs", "preflight", 4 },
        { "no mTLS", "execute", 2 },
        { "no rate limiting", "execute", 3 },
        { "no post-change SLOs", "verify", 4 },
        { "no change SLOs", "audit", 4 },
    };

    [Theory]
    [MemberData(nameof(FactClauses))]
    public void A_clause_fed_by_a_fact_holds_with_it_and_fails_without_it(string missing, string phase, int level)
    {
        ScorecardFacts without = missing switch
        {
            "no change-window calendar" => Everything with { ChangeWindowCalendars = [] },
            "no policy pack" => Everything with { PolicyPacks = [] },
            "no two-person rule" => Everything with { TwoPersonRules = [] },
            "no auto-approval lane" => Everything with { AutoApprovalLane = null },
            "no pre-flight SLOs" => Everything with { PreflightSlos = false },
            "no mTLS" => Everything with { MutualTlsToTargets = false },
            "no rate limiting" => Everything with { PerProviderRateLimits = false },
            "no post-change SLOs" => Everything with { PostChangeSlos = false },
            "no change SLOs" => Everything with { ChangeSlos = false },
            _ => throw new ArgumentOutOfRangeException(nameof(missing)),
        };

        Assert.True(Clause(Build(Healthy(), Everything), phase, level).Holds);
        ScorecardRow row = Build(Healthy(), without);
        Assert.False(Clause(row, phase, level).Holds);
        Assert.Equal(level - 1, Phase(row, phase).Level);
    }

    [Fact]
    public void Rate_limits_in_force_for_every_enabled_provider_are_named_as_the_execute_L3_evidence()
    {
        ScorecardClause clause = Clause(Build(Healthy(), Everything with { RateLimits = ["cli: 120/min, 8 in flight", "sandbox: 600/min"] }), "execute", 3);

        Assert.True(clause.Holds);
        Assert.Contains("per-provider rate limits (cli: 120/min, 8 in flight; sandbox: 600/min)", clause.Evidence);
    }

    [Fact]
    public void Change_success_below_its_bands_lowers_execute()
    {
        List<KpiChange> oneFailure = [.. Healthy(), Ok(Annotated(Change("f1", ChangeStatuses.Failed)), FullKinds)];
        List<KpiChange> fourFailures = [.. oneFailure, .. new[] { "f2", "f3", "f4" }.Select(id => Ok(Annotated(Change(id, ChangeStatuses.Failed)), FullKinds))];

        Assert.Equal(4, Phase(Build(Healthy(), Everything), "execute").Level);      // 60 / 61 = 98.4 %
        Assert.Equal(3, Phase(Build(oneFailure, Everything), "execute").Level);     // 60 / 62 = 96.8 %: L3 band, not L4
        Assert.Equal(2, Phase(Build(fourFailures, Everything), "execute").Level);   // 60 / 65 = 92.3 %: below L3
        Assert.Contains("change_success_pct = 92.31 (below)", Clause(Build(fourFailures, Everything), "execute", 3).Evidence);
    }

    [Fact]
    public void Rollback_success_below_its_band_lowers_verify_and_audit()
    {
        List<KpiChange> failedRollback = [.. Healthy(), Ok(Annotated(Change("x", ChangeStatuses.RollbackFailed, rollbackMinutes: 6)), RollbackKinds)];

        ScorecardRow row = Build(failedRollback, Everything);

        Assert.False(Clause(row, "verify", 4).Holds);   // 1 of 2 rollbacks succeeded: 50 %
        Assert.False(Clause(row, "audit", 4).Holds);
        Assert.Contains("rollback_success_pct = 50 (below)", Clause(row, "audit", 4).Evidence);
    }

    [Fact]
    public void Mttr_above_its_band_lowers_verify_and_audit()
    {
        List<KpiChange> slow = [.. Enumerable.Range(0, 60).Select(i => Completed($"c{i}")), RolledBack("r", minutes: 45)];

        ScorecardRow row = Build(slow, Everything);

        Assert.False(Clause(row, "verify", 4).Holds);
        Assert.False(Clause(row, "audit", 4).Holds);
        Assert.Equal(3, Phase(row, "audit").Level);
    }

    [Fact]
    public void Evidence_completeness_below_its_band_lowers_audit_to_2()
    {
        // 20 of 61 finished changes lack their verify record: 67 % complete.
        List<KpiChange> gaps = [.. Healthy().Select((c, i) => i < 20 ? c with { EvidenceKinds = c.EvidenceKinds.Where(k => k != "verify").ToHashSet() } : c)];

        ScorecardRow row = Build(gaps, Everything);

        Assert.False(Clause(row, "audit", 3).Holds);
        Assert.Equal(2, Phase(row, "audit").Level);
        Assert.Equal(2, row.Overall);
    }

    [Fact]
    public void No_data_never_counts_as_met()
    {
        ScorecardRow empty = Build([], Everything);

        Assert.All(empty.Phases, p => Assert.Equal(0, p.Level));
        Assert.Equal(0, empty.Overall);
        Assert.Contains("no_data", Clause(empty, "plan", 2).Evidence);

        // No rollback in the period: rollback success and MTTR have no data, so neither level 4 that needs them holds.
        ScorecardRow noRollback = Build([.. Enumerable.Range(0, 60).Select(i => Completed($"c{i}"))], Everything);
        Assert.False(Clause(noRollback, "verify", 4).Holds);
        Assert.False(Clause(noRollback, "audit", 4).Holds);
        Assert.Contains("rollback_success_pct = no_data (no_data)", Clause(noRollback, "audit", 4).Evidence);
    }

    [Fact]
    public void Rollback_evidence_gate_holds_with_the_rollback_record_and_caps_at_3_without_it()
    {
        List<KpiChange> withRecord = Healthy();
        List<KpiChange> withoutRecord = [.. withRecord.Select(c => c.Record.ChangeId == "r" ? c with { EvidenceKinds = c.EvidenceKinds.Where(k => k != "rollback").ToHashSet() } : c)];

        ScorecardRow held = Build(withRecord, Everything);
        ScorecardRow capped = Build(withoutRecord, Everything);

        Assert.Equal(4, held.Overall);
        Assert.Empty(held.GatesApplied);
        Assert.All(capped.Phases, p => Assert.Equal(4, p.Level));      // 60 of 61 complete still reaches the L3 band
        Assert.Equal(3, capped.Overall);
        Assert.Equal(["capped at 3: no executed rollback with evidence in this period"], capped.GatesApplied);
    }

    [Fact]
    public void Full_pack_evidence_gate_holds_with_an_exportable_pack_and_caps_at_2_without_it()
    {
        // Executed changes plus many rejected ones whose (short) packs are complete, so evidence completeness stays in its L3 band
        // even when no executed change's chain verifies.
        static List<KpiChange> Set(bool executedChainsVerify)
        {
            var broken = new EvidenceVerification(false, 5, 3, "altered", null);
            List<KpiChange> executed = [.. Healthy().Select(c => executedChainsVerify ? c : c with { Evidence = broken })];
            return [.. executed, .. Enumerable.Range(0, 400).Select(i => Ok(Annotated(Change($"j{i}", ChangeStatuses.Rejected, executed: false, outcome: "rejected", approvers: [])), "plan", "preflight", "audit"))];
        }

        ScorecardRow held = Build(Set(executedChainsVerify: true), Everything);
        ScorecardRow capped = Build(Set(executedChainsVerify: false), Everything);

        Assert.Equal(4, held.Overall);
        Assert.Empty(held.GatesApplied);
        Assert.All(capped.Phases, p => Assert.Equal(4, p.Level));
        Assert.Equal(2, capped.Overall);
        Assert.Equal(["capped at 2: no change in this period has an exportable plan + approval trail + execution log"], capped.GatesApplied);
        Assert.Empty(capped.EvidenceLinks);
    }

    [Fact]
    public void Audit_phase_reaches_level_3_only_with_verified_evidence()
    {
        KpiChange full = Ok(Change("a", ChangeStatuses.Completed, verifyMs: 100), FullKinds);
        KpiChange broken = full with { Evidence = new EvidenceVerification(false, 5, 3, "altered", null) };

        Assert.Equal(3, Phase(Build([full], Today), "audit").Level);
        Assert.Equal(2, Phase(Build([broken], Today), "audit").Level);
        ScorecardRow row = Build([full], Today);
        Assert.Equal(row.Phases.Min(p => p.Level), row.Overall);
        Assert.Contains("/api/changes/a/evidence", row.EvidenceLinks);
    }
}
