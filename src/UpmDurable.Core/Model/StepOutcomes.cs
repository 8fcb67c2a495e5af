namespace UpmDurable.Core.Model;

/// <summary>The outcome of a step record (<see cref="StepRecord.Outcome"/>): what a provider did, or that the step failed.</summary>
public static class StepOutcomes
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Deleted = "deleted";
    public const string Kept = "kept";
    public const string Pending = "pending";
    public const string Failed = "failed";

    /// <summary>Compensation put an updated resource's fields back from its before-image.</summary>
    public const string Restored = "restored";

    /// <summary>Compensation re-created a resource the step deleted, from its before-image.</summary>
    public const string Recreated = "recreated";

    /// <summary>Compensation could not put the resource back (the provider's reason is in stdout); it was left as it is.</summary>
    public const string NotRestorable = "not_restorable";

    /// <summary>Compensation found the resource changed since this change (another change or a person): left as it is.</summary>
    public const string Conflict = "conflict";

    /// <summary>Compensation found nothing to undo: the resource does not exist.</summary>
    public const string Absent = "absent";

    /// <summary>Every outcome: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(StepOutcomes));

    /// <summary>Whether a step record counts as applied (anything but failed).</summary>
    public static bool Applied(StepRecord step) => step.Outcome != Failed;

    /// <summary>Whether a compensation left its resource as it is although it should have put it back (rollback then fails).</summary>
    public static bool LeftUnrestored(StepRecord compensation) => compensation.Outcome is NotRestorable or Conflict;
}
