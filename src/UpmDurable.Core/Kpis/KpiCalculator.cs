using System.Diagnostics;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Kpis;

/// <summary>Computes the spec's ten quality KPIs over a set of changes. Every formula is spelt out in <see cref="Kpi.Formula"/>.</summary>
public static class KpiCalculator
{
    static readonly HashSet<string> Attempted = [ChangeStatuses.Completed, ChangeStatuses.Failed, ChangeStatuses.RolledBack, ChangeStatuses.RollbackFailed];

    public static List<Kpi> Compute(IReadOnlyList<KpiChange> changes)
    {
        var records = changes.Select(c => c.Record).ToList();
        var planned = records.Where(r => r.Plan is not null).ToList();
        var compileMs = new List<double>();
        int identical = 0;
        foreach (ChangeRecord record in planned)
        {
            var clock = Stopwatch.StartNew();
            string hash = PlanCompiler.Compile(record.Intent).PlanHash;
            compileMs.Add(clock.Elapsed.TotalMilliseconds);
            identical += hash == record.Plan!.PlanHash ? 1 : 0;
        }

        var executed = records.Where(r => r.Execution.Steps.Count > 0).ToList();
        int covered = executed.Count(ApprovalsSatisfied);
        var preflighted = records.Where(r => r.Preflight is not null).ToList();
        var attempted = records.Where(r => Attempted.Contains(r.Status)).ToList();
        var rolledBack = records.Where(r => r.Status is ChangeStatuses.RolledBack or ChangeStatuses.RollbackFailed).ToList();
        var recoveries = records.Where(r => r.Status == ChangeStatuses.RolledBack).Select(RecoveryMinutes).OfType<double>().ToList();
        var verifyMs = records.Where(r => r.Verification is not null).Select(r => (double)r.Verification!.LatencyMs).ToList();
        var completed = records.Where(r => r.Status == ChangeStatuses.Completed).ToList();
        int resources = completed.Sum(r => r.Plan?.Steps.Count ?? 0);
        int monitored = changes.Where(c => c.Record.Status == ChangeStatuses.Completed && c.Drift is { Status: DriftStatuses.InSync or DriftStatuses.Drifted })
            .Sum(c => c.Drift!.ResourcesChecked);
        var final = changes.Where(c => ChangeStatuses.IsFinal(c.Record.Status)).ToList();
        int complete = final.Count(c => c.Evidence is { Ok: true } && RequiredEvidence(c.Record).IsSubsetOf(c.EvidenceKinds));

        return
        [
            Pct("plan_determinism_pct", identical, planned.Count, "changes whose stored request recompiles to the same plan_hash / changes with a plan", 95, 99),
            Pct("approval_coverage_pct", covered, executed.Count, "executed changes whose approvals met the policy (human approvals meeting the policy rule's minimum from its groups, or the policy's auto-approval lane) / executed changes", 90, 100),
            Pct("policy_pass_pct", preflighted.Count(r => r.Preflight!.Ok), preflighted.Count, "changes whose pre-flight passed / changes that ran pre-flight", 85, 95),
            Pct("change_success_pct", attempted.Count(r => r.Status == ChangeStatuses.Completed), attempted.Count, "completed / (completed + failed + rolled_back + rollback_failed); rejected and expired changes were never attempted", 95, 98),
            Pct("rollback_success_pct", rolledBack.Count(r => r.Status == ChangeStatuses.RolledBack), rolledBack.Count, "rolled_back / (rolled_back + rollback_failed)", 90, 97),
            new Kpi("mttr_failed_change_min", recoveries.Count == 0 ? null : Math.Round(recoveries.Average(), 3), "min", recoveries.Sum(), recoveries.Count,
                "mean over rolled-back changes of (rollback verified by read-back − failure detected), minutes", 30, 15, LowerIsBetter: true),
            new Kpi("plan_compile_p95_ms", P95(compileMs), "ms", compileMs.Count, compileMs.Count, "95th percentile of compiling each stored request again, ms", 1500, 800, LowerIsBetter: true),
            new Kpi("verify_p95_ms", P95(verifyMs), "ms", verifyMs.Count, verifyMs.Count, "95th percentile of verification latency (read-back, health and diff of all resources), ms", 2000, 1200, LowerIsBetter: true),
            Pct("drift_coverage_pct", monitored, resources, "resources checked by the latest run of an active drift monitor (report in_sync or drifted) / resources of completed changes", 70, 90),
            Pct("evidence_completeness_pct", complete, final.Count, "finished changes whose evidence chain verifies and holds plan, preflight, approval, execute, verify (and rollback when rolled back) and audit records / finished changes", 85, 100),
        ];
    }

    /// <summary>
    /// Whether a change's approvals met its policy: the auto-approval lane applied (a policy rule, named on the record), or
    /// its counted human approvals met the requirement pre-flight set (count, policy minimum from policy groups, added
    /// groups). A change that ran with no human decision and no lane (an older "required: 0" change) is not covered.
    /// </summary>
    public static bool ApprovalsSatisfied(ChangeRecord record)
    {
        ApprovalState state = record.Approvals;
        ApprovalRequirement? requirement = record.Preflight?.Approval;
        return state.Outcome switch
        {
            ApprovalOutcomes.AutoApproved => requirement is { AutoApproved: true } && state.Rule is not null,
            ApprovalOutcomes.Approved => requirement is { AutoApproved: false } && requirement.IsMetBy(state.Decisions) && state.Decisions.Any(d => d.Decision == "approve" && d.Approver != "policy"),
            _ => false,
        };
    }

    /// <summary>The evidence record kinds a change must hold for what its record says happened.</summary>
    public static HashSet<string> RequiredEvidence(ChangeRecord record)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal) { "plan", "audit" };
        if (record.Preflight is not null)
        {
            kinds.Add("preflight");
        }

        if (record.Execution.Steps.Count > 0)
        {
            kinds.Add("approval");
            kinds.Add("execute");
        }

        if (record.Verification is not null)
        {
            kinds.Add("verify");
        }

        if (record.Rollback.Executed)
        {
            kinds.Add("rollback");
        }

        return kinds;
    }

    static double? RecoveryMinutes(ChangeRecord record)
    {
        if (record.Rollback is { DetectedAt: { } detected, VerifiedAt: { } verified })
        {
            return (verified - detected).TotalMinutes;
        }

        AuditEntry? start = record.AuditTrace.FirstOrDefault(e => e.Msg.StartsWith("rollback started", StringComparison.Ordinal));
        return start is null ? null : (record.UpdatedAt - start.Ts).TotalMinutes;
    }

    static Kpi Pct(string name, double numerator, double denominator, string formula, double l3, double l4) =>
        new(name, denominator == 0 ? null : Math.Round(100.0 * numerator / denominator, 2), "%", numerator, denominator, formula, l3, l4, LowerIsBetter: false);

    static double? P95(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        return Math.Round(sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1], 3);
    }
}
