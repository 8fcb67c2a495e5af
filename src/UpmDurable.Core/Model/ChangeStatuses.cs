namespace UpmDurable.Core.Model;

/// <summary>The status of a change. Final statuses end the orchestration.</summary>
public static class ChangeStatuses
{
    public const string Submitted = "submitted";
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string WaitingForWindow = "waiting_for_window";
    public const string WaitingForLock = "waiting_for_lock";
    public const string Paused = "paused";
    public const string Aborted = "aborted";
    public const string PreflightFailed = "preflight_failed";
    public const string RollingBack = "rolling_back";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Failed = "failed";
    public const string RolledBack = "rolled_back";
    public const string RollbackFailed = "rollback_failed";

    static readonly HashSet<string> FinalStatuses = [Completed, Rejected, Expired, Failed, PreflightFailed, Aborted, RolledBack, RollbackFailed];

    /// <summary>True when nothing more will happen to the change.</summary>
    public static bool IsFinal(string status) => FinalStatuses.Contains(status);

    /// <summary>Every status of this vocabulary: derived from the constants above, so a new status is a filter at once.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(ChangeStatuses));

    /// <summary>True for a status of this vocabulary.</summary>
    public static bool IsKnown(string status) => All.Contains(status, StringComparer.Ordinal);
}
