using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Rollback;

/// <summary>
/// What rolling back a step does to its resource (the rollback dry run's <c>action</c>) and the one rule that decides
/// it from the step's before-image and the resource as it is now: the dry run shows it, compensation carries it out.
/// </summary>
public static class RollbackActions
{
    /// <summary>Put an updated resource's fields back from its before-image.</summary>
    public const string Restore = "restore";

    /// <summary>Re-create a resource the step deleted, from its before-image.</summary>
    public const string Recreate = "recreate";

    /// <summary>Delete what the step created.</summary>
    public const string Delete = "delete";

    /// <summary>Leave the resource: it existed before (no image) or already equals its before-image.</summary>
    public const string Keep = "keep";

    /// <summary>The provider cannot put the resource back; it is left as it is and the rollback reports it.</summary>
    public const string NotRestorable = "not_restorable";

    /// <summary>The resource does not exist and did not before: nothing to do.</summary>
    public const string NothingToDo = "nothing_to_do";

    /// <summary>Every action: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(RollbackActions));

    /// <summary>
    /// The action for a step and, for <c>restore</c>, the fields it sets (<see cref="FieldDiff.Between"/> of the current
    /// fields and the restore target). <paramref name="current"/> null: the resource does not exist now. Without an image
    /// (a change from before images, or its capture failed) the old rule holds: delete what this change created, keep the rest.
    /// </summary>
    public static RollbackDecision Decide(string changeId, BeforeImage? image, IReadOnlyDictionary<string, string>? current, string? currentCreatedBy)
    {
        if (image is not { Existed: true })
        {
            return current is null ? new(NothingToDo, [], "target does not exist: nothing to undo")
                : currentCreatedBy == changeId ? new(Delete, [], "created by this change: deleted")
                : new(Keep, [], "existed before this change: kept");
        }

        if (image.NotRestorable is { } why)
        {
            return new(NotRestorable, [], $"cannot be put back: {why}");
        }

        if (current is null)
        {
            return new(Recreate, FieldDiff.Between(null, BeforeImages.RestoreTarget(image, null)), "deleted since its before-image: re-created from it");
        }

        List<FieldChange> changes = FieldDiff.Between(current, BeforeImages.RestoreTarget(image, current));
        return changes.Count == 0
            ? new(Keep, [], "already equals its before-image")
            : new(Restore, changes, $"{changes.Count} field(s) set back to the before-image");
    }

    /// <summary>
    /// Why a resource no longer looks as this change left it (a later change or a person changed it), or null: rolling
    /// it back would overwrite that blindly. The after-image is the plan's intended state (<see cref="ResourceFields.Of"/>),
    /// or absence for an <c>ensure: absent</c> step. A resource that already equals its before-image is no conflict (a
    /// retried compensation that already put it back).
    /// </summary>
    public static string? Conflict(PlanStep step, BeforeImage? image, IReadOnlyDictionary<string, string>? current)
    {
        if (image is not null && (image.Existed ? current is not null && FieldDiff.Same(current, BeforeImages.RestoreTarget(image, current)) : current is null))
        {
            return null;
        }

        if (Ensures.IsAbsent(step.Resource))
        {
            return current is null ? null : $"{step.Type}/{step.Name} exists again although this change deleted it";
        }

        if (current is null)
        {
            return $"{step.Type}/{step.Name} no longer exists";
        }

        List<FieldChange> changed = FieldDiff.Between(ResourceFields.Of(step.Resource), current);
        return changed.Count == 0 ? null
            : $"{step.Type}/{step.Name} changed since this change: {string.Join(", ", changed.Select(c => c.Field))}";
    }
}
