using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>How many steps of a dry run create, update, delete or leave their resource unchanged.</summary>
public sealed record DryRunSummary(int Create, int Update, int Delete, int Unchanged)
{
    /// <summary>Counts the entries by <see cref="DryRunEntry.Action"/>.</summary>
    public static DryRunSummary Of(IEnumerable<DryRunEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        List<string> actions = entries.Select(e => e.Action).ToList();
        int Count(string action) => actions.Count(a => a == action);
        return new DryRunSummary(Count(PlanActions.Create), Count(PlanActions.Update), Count(PlanActions.Delete), Count(PlanActions.Unchanged));
    }

    /// <summary>The Terraform-style line: <c>Plan: 1 to add, 2 to change, 0 to destroy.</c></summary>
    public override string ToString() => $"Plan: {Create} to add, {Update} to change, {Delete} to destroy.";
}
