using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>
/// The one rule of a dry run's action: from the provider's current view of a resource (null: it does not exist) to the
/// plan's intended state, compared with <see cref="FieldDiff"/> (by field name, never by dictionary order).
/// </summary>
public static class StepDiff
{
    /// <summary>
    /// <c>create</c> (every intended field from null), <c>update</c> (the fields that differ), <c>unchanged</c> (none differ),
    /// <c>delete</c> for <c>ensure: absent</c> (every current field to null); deleting what is already gone is
    /// <c>unchanged</c>: the resource is already as the plan wants it.
    /// </summary>
    public static StepChange Of(ResourceSpec intended, IReadOnlyDictionary<string, string>? current)
    {
        ArgumentNullException.ThrowIfNull(intended);
        if (Ensures.IsAbsent(intended))
        {
            return current is null
                ? new StepChange(PlanActions.Unchanged, [])
                : new StepChange(PlanActions.Delete, FieldDiff.Between(current, null));
        }

        List<FieldChange> changes = FieldDiff.Between(current, ResourceFields.Of(intended));
        string action = current is null ? PlanActions.Create : changes.Count == 0 ? PlanActions.Unchanged : PlanActions.Update;
        return new StepChange(action, changes);
    }
}
