using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>Phases 1 and 2 before the approvals: the plan compiled from the request, then pre-flight (policy, windows, dry run).</summary>
public sealed class PlanPhase(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal)
{
    /// <summary>Takes the plan compiled at submit (or compiles it, for a change started before 1.2 or without one) and records it with its rollback plan.</summary>
    public async Task<Plan> CompileAsync()
    {
        journal.EnterPhase(Phases.Plan, ChangeStatuses.Running);
        journal.Trace($"change submitted by {input.Initiator} via {input.Spec.Source}");
        Plan plan = context.CompareVersionTo(OrchestrationPaths.PlanTravels) >= 0 && input.Plan is { } submitted
            ? submitted
            : await context.CallActivityAsync<Plan>(nameof(CompilePlan), input.Spec, Durable.Retry);
        journal.Record = journal.Record with
        {
            Plan = plan,
            Rollback = journal.Record.Rollback with { Available = true, Plan = plan.RollbackPlan.Select(r => r.Command).ToList() },
        };
        journal.Trace($"plan compiled: {plan.Steps.Count} steps in {plan.Waves.Count} waves, {plan.PlanHash}");
        await journal.CheckpointAsync(EvidenceKinds.Plan, plan);
        return plan;
    }

    /// <summary>Continue when every pre-flight check passed; finish <c>preflight_failed</c> naming the first that did not.</summary>
    public async Task<PhaseResult> PreflightAsync(Plan plan)
    {
        journal.EnterPhase(Phases.Preflight, ChangeStatuses.Running);
        PreflightReport report = await context.CallActivityAsync<PreflightReport>(
            nameof(RunPreflight), new PreflightInput(input.Tenant, input.ChangeId, input.Spec.Provider, plan, input.Spec, input.Initiator, input.SubmittedAt), Durable.Retry);
        journal.Record = journal.Record with { Preflight = report };
        journal.Trace(report.Ok ? $"preflight complete: {report.Checks.Count} checks passed" : "preflight failed: " + journal.FirstFailedCheck());
        await journal.CheckpointAsync(EvidenceKinds.Preflight, report);
        return report.Ok ? PhaseResult.Continue : PhaseResult.Finish(ChangeStatuses.PreflightFailed, "Pre-flight failed: " + journal.FirstFailedCheck());
    }
}
