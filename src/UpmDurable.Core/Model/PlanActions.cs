namespace UpmDurable.Core.Model;

/// <summary>What the dry run says a step will do to its resource (<see cref="DryRunEntry.Action"/>).</summary>
public static class PlanActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Unchanged = "unchanged";
    public const string Delete = "delete";

    /// <summary>Every action: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(PlanActions));
}
