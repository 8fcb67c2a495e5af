namespace UpmDurable.Core.Model;

/// <summary>The spec's field canonicals and this product's status vocabulary, in one place.</summary>
public static class Canonicals
{
    public static readonly string[] Sources = ["chatops", "api", "ticket"];
    public static readonly string[] Visibilities = ["team", "org", "private"];
    public static readonly string[] DriftModes = ["off", "report", "remediate"];
    public static readonly string[] Providers = ["sandbox", "azure", "cli"];
    public static readonly string[] FaultPoints = ["apply", "verify", "compensate"];

    /// <summary>Activity kinds a test host can make fail (<c>Upm:Testing:ActivityFaults</c>): checkpoint, lock take and release, health probe, window check, verify read, rollback read-back.</summary>
    public static readonly string[] ActivityFaultPoints = ["checkpoint", "lock", "unlock", "probe", "window", "verify_read", "read_back"];
    public static readonly string[] PlanVariants = ["canary", "blue_green"];
    public static readonly string[] VerifyFailureActions = ["rollback", "pause"];
    public static readonly string[] HealthGateActions = ["pause", "rollback"];
    public static readonly string[] DefaultPipeAllowList = ["grep", "jq", "wc", "head", "tail", "cut", "sort", "uniq"];
}

/// <summary>The five phases of UPM v2, as the spec spells them.</summary>
public static class Phases
{
    public const string Plan = "plan";
    public const string Preflight = "preflight";
    public const string Execute = "execute";
    public const string Verify = "verify";
    public const string Audit = "audit";
}

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
    public static readonly IReadOnlyList<string> All = typeof(ChangeStatuses)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    /// <summary>True for a status of this vocabulary.</summary>
    public static bool IsKnown(string status) => All.Contains(status, StringComparer.Ordinal);
}
