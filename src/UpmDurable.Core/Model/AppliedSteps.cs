namespace UpmDurable.Core.Model;

/// <summary>The steps a change applied, by the one rule of <see cref="StepOutcomes.Applied"/>.</summary>
public static class AppliedSteps
{
    /// <summary>The ids of the steps that were applied (or compensated), in record order.</summary>
    public static List<string> Ids(IEnumerable<StepRecord> records) =>
        records.Where(StepOutcomes.Applied).Select(s => s.StepId).ToList();

    /// <summary>The plan's steps the change applied, in plan order.</summary>
    public static List<PlanStep> Of(ChangeRecord record)
    {
        var done = Ids(record.Execution.Steps).ToHashSet(StringComparer.Ordinal);
        return record.Plan?.Steps.Where(s => done.Contains(s.Id)).ToList() ?? [];
    }
}
