namespace UpmDurable.Core.Model;

/// <summary>How a change's approval ended (<see cref="ApprovalState.Outcome"/>).</summary>
public static class ApprovalOutcomes
{
    public const string Approved = "approved";
    public const string AutoApproved = "auto_approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Aborted = "aborted";

    /// <summary>Every outcome: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(ApprovalOutcomes));
}
