using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Api;

/// <summary>The answer of POST /api/plans: the plan, and what pre-flight's dry run says each step would do, field by field.</summary>
public static class DryRunAnswer
{
    /// <summary>Shapes a compiled plan and its pre-flight report as <see cref="DryRunResult"/>.</summary>
    public static DryRunResult From(ChangeSpec spec, Plan plan, PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(report);
        return new DryRunResult(
            plan,
            report.Annotation,
            Simulation(report.DryRun),
            new DryRunPreflight(report.Ok, report.Checks, report.Policy, report.Window, report.Approval, report.Adoptions, report.Irreversible),
            PlanVariants.For(plan, spec.Variants),
            plan.RollbackPlan,
            PlanGraph.Mermaid(plan),
            SimulatedRuns.IsSimulated(spec));
    }

    /// <summary>The step ids by action, every entry with its changes, and the summary line.</summary>
    public static DryRunSimulation Simulation(IReadOnlyList<DryRunEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        List<string> Ids(string action) => entries.Where(d => d.Action == action).Select(d => d.StepId).ToList();
        return new DryRunSimulation(
            Ids(PlanActions.Create),
            Ids(PlanActions.Update),
            Ids(PlanActions.Unchanged),
            [.. entries.Select(e => e with { Changes = e.Changes ?? [] })],
            Ids(PlanActions.Delete),
            DryRunSummary.Of(entries).ToString());
    }
}
