using UpmDurable.Core.Audit;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class KpiCalculatorTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    internal static ChangeRecord Change(string id, string status, int required = 1, string outcome = "approved", string[]? approvers = null,
        bool preflightOk = true, bool executed = true, long? verifyMs = null, double? rollbackMinutes = null, bool tamperPlan = false)
    {
        ChangeSpec spec = ChangeRequestValidator.Validate(new ChangeRequest
        {
            Request = "ns", Tenant = "acme",
            Target = new ChangeTarget { Resources = [new ResourceSpec { Type = "k8s_namespace", Name = "ns-" + id }] },
            Approvals = new ApprovalPolicy { Required = required },
        });
        Plan plan = PlanCompiler.Compile(spec);
        var trace = new List<AuditEntry> { new(T0, "plan", "change submitted by alice") };
        if (rollbackMinutes is not null)
        {
            trace.Add(new AuditEntry(T0.AddMinutes(1), "audit", "rollback started (execution failed)"));
        }

        return new ChangeRecord
        {
            ChangeId = id, Tenant = "acme", Initiator = "alice", Status = status, Phase = Phases.Audit, SubmittedAt = T0,
            UpdatedAt = rollbackMinutes is { } m ? T0.AddMinutes(1 + m) : T0.AddMinutes(2),
            Intent = spec,
            Plan = tamperPlan ? plan with { PlanHash = "sha256:" + new string('0', 64) } : plan,
            Preflight = new PreflightReport
            {
                Ok = preflightOk, Checks = [], DryRun = [],
                Approval = required == 0
                    ? new ApprovalRequirement(0, true, "auto-approval lane", "low-risk-lane", ["platform-owners"])
                    : new ApprovalRequirement(required, false, "policy rule", "every-change-needs-a-human", ["platform-owners"], required, []),
            },
            Approvals = new ApprovalState
            {
                Required = required, Outcome = outcome, Rule = required == 0 ? "low-risk-lane" : "every-change-needs-a-human",
                Decisions = (approvers ?? ["bob"]).Select(a => new ApprovalDecision { Approver = a, Decision = "approve", PlanHash = plan.PlanHash, Channel = "api", Groups = ["platform-owners"] }).ToList(),
            },
            Execution = new ExecutionReport
            {
                Steps = executed ? [new StepRecord { StepId = plan.Steps[0].Id, Wave = 1, Cmd = plan.Commands[0], Rc = 0, Outcome = "created" }] : [],
            },
            Verification = verifyMs is { } ms ? new VerifyReport { Ok = true, Checks = [], Diff = [], BaselineHash = "sha256:x", LatencyMs = ms } : null,
            Rollback = new RollbackReport { Executed = rollbackMinutes is not null },
            AuditTrace = trace,
            Evidence = new EvidenceHead(5, "sha256:head"),
        };
    }

    internal static KpiChange Ok(ChangeRecord record, params string[] kinds) =>
        new(record, new EvidenceVerification(true, 5, null, null, "sha256:head"), kinds.ToHashSet());

    [Fact]
    public void Kpis_on_a_seeded_set_match_hand_computed_values()
    {
        List<KpiChange> changes =
        [
            Ok(Change("a", ChangeStatuses.Completed, verifyMs: 100), "plan", "preflight", "approval", "execute", "verify", "audit"),
            Ok(Change("b", ChangeStatuses.Completed, verifyMs: 300, tamperPlan: true), "plan", "preflight", "approval", "execute", "verify", "audit"),
            Ok(Change("c", ChangeStatuses.RolledBack, required: 0, outcome: "auto_approved", approvers: [], rollbackMinutes: 6), "plan", "preflight", "approval", "execute", "rollback", "audit"),
            Ok(Change("d", ChangeStatuses.RollbackFailed, required: 2, rollbackMinutes: 10), "plan", "preflight", "approval", "execute", "audit"),
            Ok(Change("e", ChangeStatuses.PreflightFailed, preflightOk: false, executed: false, outcome: "pending", approvers: []), "plan", "preflight", "audit"),
            Ok(Change("f", ChangeStatuses.Rejected, executed: false, outcome: "rejected", approvers: []), "plan", "preflight", "audit"),
        ];

        var kpis = KpiCalculator.Compute(changes).ToDictionary(k => k.Name);

        Assert.Equal(83.33, kpis["plan_determinism_pct"].Value);      // 5 of 6 recompile to their stored hash (b was altered)
        Assert.Equal(75, kpis["approval_coverage_pct"].Value);        // executed a, b, c, d; d had 1 of 2 approvers
        Assert.Equal(83.33, kpis["policy_pass_pct"].Value);           // e failed pre-flight
        Assert.Equal(50, kpis["change_success_pct"].Value);           // a, b of a, b, c, d (e stopped in pre-flight, f was rejected)
        Assert.Equal(50, kpis["rollback_success_pct"].Value);         // c of c, d
        Assert.Equal(6, kpis["mttr_failed_change_min"].Value);        // c: 6 minutes from rollback start to the end
        Assert.Equal(300, kpis["verify_p95_ms"].Value);
        Assert.Equal(0, kpis["drift_coverage_pct"].Value);
        Assert.Equal(83.33, kpis["evidence_completeness_pct"].Value); // d lacks its rollback record
        Assert.Equal("below", kpis["change_success_pct"].Band);
        Assert.Equal("L4", kpis["verify_p95_ms"].Band);
        Assert.NotNull(kpis["plan_compile_p95_ms"].Value);
    }

    [Fact]
    public void A_change_run_with_no_human_decision_and_no_policy_lane_is_not_covered()
    {
        // What "approvals": {"required": 0} used to produce: approved by "policy" while no lane applied.
        ChangeRecord waived = Change("w", ChangeStatuses.Completed, verifyMs: 100, outcome: "auto_approved", approvers: ["policy"]);
        waived = waived with { Approvals = waived.Approvals with { Rule = null } };
        ChangeRecord outsider = Change("o", ChangeStatuses.Completed, verifyMs: 100, approvers: ["mallory"]);
        outsider = outsider with { Approvals = outsider.Approvals with { Decisions = [outsider.Approvals.Decisions[0] with { Groups = ["somewhere-else"] }] } };
        ChangeRecord approved = Change("h", ChangeStatuses.Completed, verifyMs: 100);

        Assert.False(KpiCalculator.ApprovalsSatisfied(waived));
        Assert.False(KpiCalculator.ApprovalsSatisfied(outsider));
        Assert.True(KpiCalculator.ApprovalsSatisfied(approved));
        var kpis = KpiCalculator.Compute([Ok(waived), Ok(outsider), Ok(approved)]).ToDictionary(k => k.Name);
        Assert.Equal(33.33, kpis["approval_coverage_pct"].Value);
    }

    [Fact]
    public void No_changes_means_no_data_not_zero()
    {
        var kpis = KpiCalculator.Compute([]);
        Assert.Equal(10, kpis.Count);
        Assert.All(kpis, k => Assert.Equal("no_data", k.Band));
    }
}
