using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Model;

/// <summary>The one rule of which steps a change applied: those with a step record whose outcome is not failed.</summary>
public static class AppliedSteps
{
    /// <summary>The ids of the steps that were applied (or compensated), in record order.</summary>
    public static List<string> Ids(IEnumerable<StepRecord> records) =>
        records.Where(s => s.Outcome != StepOutcomes.Failed).Select(s => s.StepId).ToList();

    /// <summary>The plan's steps the change applied, in plan order.</summary>
    public static List<PlanStep> Of(ChangeRecord record)
    {
        var done = Ids(record.Execution.Steps).ToHashSet(StringComparer.Ordinal);
        return record.Plan?.Steps.Where(s => done.Contains(s.Id)).ToList() ?? [];
    }
}
