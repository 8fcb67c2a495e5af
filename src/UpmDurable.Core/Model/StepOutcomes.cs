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

    /// <summary>Every outcome: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(StepOutcomes));

    /// <summary>Whether a step record counts as applied (anything but failed).</summary>
    public static bool Applied(StepRecord step) => step.Outcome != Failed;
}
