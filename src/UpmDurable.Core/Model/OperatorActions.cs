namespace UpmDurable.Core.Model;

/// <summary>What an operator may ask of a change (<c>POST /api/changes/{id}/{action}</c>, and <see cref="OperatorCommand.Action"/>).</summary>
public static class OperatorActions
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Abort = "abort";
    public const string Rollback = "rollback";

    /// <summary>Every action: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(OperatorActions));
}
