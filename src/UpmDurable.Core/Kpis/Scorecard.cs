using UpmDurable.Core.Model;

namespace UpmDurable.Core.Kpis;

/// <summary>One acceptance clause of a level: whether it holds and what proves it.</summary>
public sealed record ScorecardClause(int Level, string Clause, bool Holds, string Evidence);

/// <summary>One phase's level (0–4) and the clauses behind it.</summary>
public sealed record PhaseScore(string Phase, int Level, List<ScorecardClause> Clauses);

/// <summary>The spec's comparison-template row for this deployment.</summary>
public sealed record ScorecardRow(string Platform, List<PhaseScore> Phases, int Overall, List<string> GatesApplied, List<Kpi> Kpis, List<string> EvidenceLinks);

/// <summary>
/// What the product implements today, clause by clause of UPM v2. A clause that depends on what happened (an executed
/// rollback, a verified evidence pack, a KPI band) is decided from the tenant's changes, not declared.
/// </summary>
public static class Capabilities
{
    // Declared features. Flip a flag in the change that ships the feature, with its tests.
    public const bool DeterministicPlan = true;
    public const bool PolicyAnnotatedPlan = true;
    public const bool NaturalLanguagePlan = true;
    public const bool ExistenceAndQuotaChecks = true;
    public const bool PolicyPacks = true;
    public const bool TwoPersonApprovalsAndSeparationOfDuties = true;
    public const bool MaintenanceWindows = true;
    public const bool AutoApprovalLane = false;
    public const bool RetriesWithBackoff = true;
    public const bool GuardedCommandRunner = true;
    public const bool ProgressiveRollout = true;
    public const bool HealthGatedProgression = true;
    public const bool ReadBacksAndHealth = true;
    public const bool BaselineDiffs = true;
    public const bool DriftMonitors = true;
    public const bool HashChainedAudit = true;
    public const bool EvidencePackWithPermalinks = true;
    public const bool RbacAndTenantScoping = true;
    public const bool ChangeSlos = false;
}

/// <summary>Builds the scorecard: per-phase levels from clauses, then the spec's evidence gates.</summary>
public static class ScorecardBuilder
{
    public static ScorecardRow Build(IReadOnlyList<KpiChange> changes, List<Kpi> kpis, Func<string, string> evidenceLink)
    {
        Kpi Find(string name) => kpis.Single(k => k.Name == name);
        bool Reaches(string name, string band) => Find(name).Band == band || (band == "L3" && Find(name).Band == "L4");
        KpiChange? rolledBack = changes.FirstOrDefault(c => c.Record.Status == ChangeStatuses.RolledBack && c.Evidence is { Ok: true } && c.EvidenceKinds.Contains("rollback"));
        KpiChange? fullPack = changes.FirstOrDefault(c => c.Evidence is { Ok: true } && c.EvidenceKinds.Contains("plan") && c.EvidenceKinds.Contains("approval") && c.EvidenceKinds.Contains("execute"));
        string Link(KpiChange? change) => change is null ? "none in this period" : evidenceLink(change.Record.ChangeId);

        var phases = new List<PhaseScore>
        {
            Score("plan",
                new(1, "scripted commands", true, "plan commands are explicit per step"),
                new(2, "deterministic plan with explicit resources, commands, idempotent steps", Capabilities.DeterministicPlan && Find("plan_determinism_pct").Band is "L4" or "L3" or "no_data", $"plan_determinism_pct = {Find("plan_determinism_pct").Value}"),
                new(3, "policy-annotated plan (who/why/when), change windows, impact notes", Capabilities.PolicyAnnotatedPlan, "pre-flight annotation on every change: who/why/when, window, impact notes, cost, risk score"),
                new(4, "NL→plan compiler, simulation report, canary/blue-green variants", Capabilities.NaturalLanguagePlan, "request text compiles to resources; POST /api/plans returns the simulation and canary/blue_green variants")),
            Score("preflight",
                new(1, "manual checks", true, "-"),
                new(2, "automated existence/quota checks, dry-run, halt on missing prerequisites", Capabilities.ExistenceAndQuotaChecks, "preflight report on every change record"),
                new(3, "policy packs, two-person approvals, SoD, maintenance windows", Capabilities.PolicyPacks && Capabilities.TwoPersonApprovalsAndSeparationOfDuties && Capabilities.MaintenanceWindows && Reaches("approval_coverage_pct", "L3"), $"policy packs and change windows in pre-flight; approval_coverage_pct = {Find("approval_coverage_pct").Value}"),
                new(4, "auto-approval within guardrails, risk scoring, pre-flight SLOs", Capabilities.AutoApprovalLane, "not shipped yet")),
            Score("execute",
                new(1, "scripts with some retries", Capabilities.RetriesWithBackoff, "activity retries with exponential backoff"),
                new(2, "version-pinned CLIs, mTLS, timeouts/retries, meta blocking, pipe allow-list", Capabilities.GuardedCommandRunner, "the cli provider runs pinned tools (az 2.45.0) through the guarded runner: no shell, meta blocking, pipe allow-list, timeouts, retries with backoff, one TLS fallback (mTLS to targets: not shipped)"),
                new(3, "progressive rollout, rate limiting, backoff, masked secrets, blast-radius limits", Capabilities.ProgressiveRollout, "waves chunked by max_parallel, per-resource locks, retries with backoff, secrets redacted before storage, blast-radius limits in pre-flight"),
                new(4, "automated promotion gates, health-gated progression, self-pause", Capabilities.HealthGatedProgression, "health gate after every wave; below min_healthy_percent the change pauses itself (or rolls back)")),
            Score("verify",
                new(1, "minimal read-backs", Capabilities.ReadBacksAndHealth, "verification report on every executed change"),
                new(2, "read-backs for key resources, basic health checks", Capabilities.ReadBacksAndHealth && Find("verify_p95_ms").Band is not "below", $"verify_p95_ms = {Find("verify_p95_ms").Value}"),
                new(3, "rollout status, baseline diffs, drift monitors, rollback plan opened", Capabilities.BaselineDiffs && Capabilities.DriftMonitors, $"baseline_hash and diff on every verification; drift monitors (ContinueAsNew); drift_coverage_pct = {Find("drift_coverage_pct").Value}"),
                new(4, "continuous drift reconciliation, post-change SLOs, auto-rollback", false, "not shipped yet")),
            Score("audit",
                new(1, "text logs", true, "-"),
                new(2, "run logs, redactions, per-endpoint scopes", Capabilities.RbacAndTenantScoping, "role and tenant checks on every route"),
                new(3, "immutable hash-chained audit, evidence pack, RBAC, tenant scoping", Capabilities.HashChainedAudit && Capabilities.EvidencePackWithPermalinks && fullPack is not null, Link(fullPack)),
                new(4, "executed rollback recorded with evidence, change SLOs, exportable pack with permalinks", rolledBack is not null && Capabilities.ChangeSlos, $"executed rollback: {Link(rolledBack)}; change SLOs not shipped yet")),
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
    }

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
