using UpmDurable.Core.Model;

namespace UpmDurable.Core.Kpis;

/// <summary>Builds the scorecard: per-phase levels from clauses computed from facts, changes and KPIs, then the spec's evidence gates.</summary>
public static class ScorecardBuilder
{
    public static ScorecardRow Build(IReadOnlyList<KpiChange> changes, List<Kpi> kpis, ScorecardFacts facts, Func<string, string> evidenceLink)
    {
        var k = kpis.ToDictionary(x => x.Name);
        // no_data is never met: a band is reached only by a value.
        bool Reaches(string name, string band) => k[name].Band == band || (band == "L3" && k[name].Band == "L4");
        string Show(string name) => $"{name} = {(k[name].Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no_data")} ({k[name].Band})";
        string Facts(params (bool Holds, string Yes, string No)[] parts) => string.Join("; ", parts.Select(p => p.Holds ? p.Yes : p.No));
        string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

        var records = changes.Select(c => c.Record).ToList();
        var planned = records.Where(r => r.Plan is not null).ToList();
        var preflighted = records.Where(r => r.Preflight is not null).ToList();
        var verified = records.Where(r => r.Verification is not null).ToList();
        bool haltedOnFailure = preflighted.Where(r => !r.Preflight!.Ok).All(r => r.Execution.Steps.Count == 0);
        bool annotated = preflighted.Count > 0 && preflighted.All(r => r.Preflight!.Annotation is not null);
        bool riskScored = preflighted.Any(r => r.Preflight!.Annotation is not null);
        bool baselines = verified.Count > 0 && verified.All(r => !string.IsNullOrEmpty(r.Verification!.BaselineHash));
        bool chained = changes.Any(c => c.Evidence is { Ok: true });
        bool runLogs = records.Any(r => r.Execution.Steps.Count > 0);
        KpiChange? fullPack = FullPack(changes);
        KpiChange? rolledBack = ExecutedRollback(changes);
        string Link(KpiChange? change) => change is null ? "none in this period" : evidenceLink(change.Record.ChangeId);

        var phases = new List<PhaseScore>
        {
            Score("plan",
                new(1, "scripted commands", planned.Count > 0, planned.Count > 0 ? $"{planned.Count} changes with explicit per-step commands" : "no planned change in this period"),
                new(2, "deterministic plan with explicit resources, commands, idempotent steps", Reaches("plan_determinism_pct", "L3"), Show("plan_determinism_pct") + ", L3 band needed"),
                new(3, "policy-annotated plan (who/why/when), change windows, impact notes", annotated && facts.ChangeWindowCalendars.Count > 0,
                    Facts((annotated, "every pre-flighted change carries who/why/when and impact notes", "not every pre-flighted change carries an annotation (or none ran)"),
                        (facts.ChangeWindowCalendars.Count > 0, $"change windows: {List(facts.ChangeWindowCalendars)}", "no change-window calendar configured"))),
                new(4, "NL→plan compiler, simulation report, canary/blue-green variants", Reaches("plan_determinism_pct", "L4") && Reaches("plan_compile_p95_ms", "L4"),
                    $"request text compiles to resources; POST /api/plans simulates with canary/blue_green variants; {Show("plan_determinism_pct")}, {Show("plan_compile_p95_ms")}, L4 bands needed")),
            Score("preflight",
                new(1, "manual checks", preflighted.Count > 0, preflighted.Count > 0 ? $"{preflighted.Count} changes ran pre-flight" : "no change ran pre-flight in this period"),
                new(2, "automated existence/quota checks, dry-run, halt on missing prerequisites", preflighted.Count > 0 && haltedOnFailure,
                    haltedOnFailure ? "existence/quota checks and dry run on every pre-flight; no change that failed pre-flight executed a step" : "a change that failed pre-flight executed steps"),
                new(3, "policy packs, two-person approvals, SoD, maintenance windows",
                    facts.PolicyPacks.Count > 0 && facts.TwoPersonRules.Count > 0 && facts.ChangeWindowCalendars.Count > 0 && Reaches("approval_coverage_pct", "L3"),
                    Facts((facts.PolicyPacks.Count > 0, $"policy packs: {List(facts.PolicyPacks)}", "no policy pack applies"),
                        (facts.TwoPersonRules.Count > 0, $"two-person rules (initiator may not approve): {List(facts.TwoPersonRules)}", "no approval rule requires two approvers"),
                        (facts.ChangeWindowCalendars.Count > 0, $"maintenance windows: {List(facts.ChangeWindowCalendars)}", "no change-window calendar configured"),
                        (true, Show("approval_coverage_pct") + ", L3 band needed", ""))),
                new(4, "auto-approval within guardrails, risk scoring, pre-flight SLOs", facts.AutoApprovalLane is not null && riskScored && facts.PreflightSlos,
                    Facts((facts.AutoApprovalLane is not null, $"auto-approval lane: {facts.AutoApprovalLane}", "no policy pack defines an auto-approval lane"),
                        (riskScored, "risk score on pre-flight annotations", "no pre-flight annotation with a risk score in this period"),
                        (facts.PreflightSlos, "pre-flight SLOs", "pre-flight SLOs: not shipped")))),
            Score("execute",
                new(1, "scripts with some retries", Has("change_success_pct"), Has("change_success_pct") ? "changes attempted through activities retried with exponential backoff" : "no change attempted in this period"),
                new(2, "version-pinned CLIs, mTLS, timeouts/retries, meta blocking, pipe allow-list", facts.MutualTlsToTargets,
                    Facts((true, "pinned tools through the guarded runner: no shell, meta blocking, pipe allow-list, timeouts, retries", ""),
                        (facts.MutualTlsToTargets, "mTLS to targets", "mTLS to targets: not shipped (a certificate error falls back once to skipping verification)"))),
                new(3, "progressive rollout, rate limiting, backoff, masked secrets, blast-radius limits", facts.PerProviderRateLimits && Reaches("change_success_pct", "L3"),
                    Facts((true, "waves chunked by max_parallel, secrets redacted, blast-radius limits in pre-flight", ""),
                        (facts.PerProviderRateLimits, $"per-provider rate limits ({string.Join("; ", facts.RateLimits)})",
                            facts.RateLimits.Count == 0 ? "per-provider rate limits: none configured" : $"per-provider rate limits: not every enabled provider has one ({string.Join("; ", facts.RateLimits)})"),
                        (true, Show("change_success_pct") + ", L3 band needed", ""))),
                new(4, "automated promotion gates, health-gated progression, self-pause", Reaches("change_success_pct", "L4"),
                    $"health gate after every wave, self-pause below min_healthy_percent; {Show("change_success_pct")}, L4 band needed")),
            Score("verify",
                new(1, "minimal read-backs", verified.Count > 0, verified.Count > 0 ? $"{verified.Count} verification reports" : "no verification in this period"),
                new(2, "read-backs for key resources, basic health checks", Reaches("verify_p95_ms", "L3"), Show("verify_p95_ms") + ", L3 band needed"),
                new(3, "rollout status, baseline diffs, drift monitors, rollback plan opened", baselines && Reaches("drift_coverage_pct", "L3"),
                    Facts((baselines, "baseline hash and diff on every verification", "a verification without a baseline hash (or none ran)"),
                        (true, Show("drift_coverage_pct") + ", L3 band needed", ""))),
                new(4, "continuous drift reconciliation, post-change SLOs, auto-rollback",
                    Reaches("drift_coverage_pct", "L4") && Reaches("rollback_success_pct", "L3") && Reaches("mttr_failed_change_min", "L3") && facts.PostChangeSlos,
                    Facts((true, $"{Show("drift_coverage_pct")} (L4 needed), {Show("rollback_success_pct")} and {Show("mttr_failed_change_min")} (L3 needed)", ""),
                        (facts.PostChangeSlos, "post-change SLO checks", "post-change SLO checks: not shipped")))),
            Score("audit",
                new(1, "text logs", records.Any(r => r.AuditTrace.Count > 0), records.Count > 0 ? "audit trace on every change record" : "no change in this period"),
                new(2, "run logs, redactions, per-endpoint scopes", runLogs, runLogs ? "run logs (redacted commands, exit codes) on executed changes; a role per route, tenant-scoped reads" : "no executed change with a run log in this period"),
                new(3, "immutable hash-chained audit, evidence pack, RBAC, tenant scoping", chained && Reaches("evidence_completeness_pct", "L3"),
                    $"hash-chained evidence verified; full pack: {Link(fullPack)}; {Show("evidence_completeness_pct")}, L3 band needed"),
                new(4, "executed rollback recorded with evidence, change SLOs, exportable pack with permalinks",
                    Reaches("rollback_success_pct", "L3") && Reaches("mttr_failed_change_min", "L3") && facts.ChangeSlos,
                    Facts((true, $"{Show("rollback_success_pct")}, {Show("mttr_failed_change_min")} (L3 needed); executed rollback with verified evidence: {Link(rolledBack)}", ""),
                        (facts.ChangeSlos, "change SLOs", "change SLOs: not shipped")))),
        };

        int overall = phases.Min(p => p.Level);
        var gates = new List<string>();
        if (fullPack is null && overall > 2)
        {
            overall = 2;
            gates.Add("capped at 2: no change in this period has an exportable plan + approval trail + execution log");
        }

        if (rolledBack is null && overall > 3)
        {
            overall = 3;
            gates.Add("capped at 3: no executed rollback with evidence in this period");
        }

        return new ScorecardRow("UpmDurable", phases, overall, gates, kpis, new[] { fullPack, rolledBack }.OfType<KpiChange>().Select(c => evidenceLink(c.Record.ChangeId)).ToList());

        bool Has(string name) => k[name].Value is not null;
    }

    /// <summary>Evidence gate 1: a change whose verified chain holds its plan, approval trail and execution log.</summary>
    public static KpiChange? FullPack(IReadOnlyList<KpiChange> changes) =>
        changes.FirstOrDefault(c => c.Evidence is { Ok: true } && c.EvidenceKinds.Contains("plan") && c.EvidenceKinds.Contains("approval") && c.EvidenceKinds.Contains("execute"));

    /// <summary>Evidence gate 2: a rolled-back change whose verified chain holds the rollback record.</summary>
    public static KpiChange? ExecutedRollback(IReadOnlyList<KpiChange> changes) =>
        changes.FirstOrDefault(c => c.Record.Status == ChangeStatuses.RolledBack && c.Evidence is { Ok: true } && c.EvidenceKinds.Contains(EvidenceKinds.Rollback));

    // A phase's level is the highest level whose clause and every lower clause hold.
    static PhaseScore Score(string phase, params ScorecardClause[] clauses)
    {
        int level = 0;
        foreach (ScorecardClause clause in clauses.OrderBy(c => c.Level))
        {
            if (!clause.Holds)
            {
                break;
            }

            level = clause.Level;
        }

        return new PhaseScore(phase, level, [.. clauses]);
    }
}
