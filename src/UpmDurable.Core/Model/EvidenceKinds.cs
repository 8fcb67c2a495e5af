namespace UpmDurable.Core.Model;

/// <summary>The kinds of evidence record a change's chain holds, as they are written (<c>kind</c>, and the blob name).</summary>
public static class EvidenceKinds
{
    public const string Plan = "plan";
    public const string Preflight = "preflight";
    public const string ApprovalRequested = "approval_requested";
    public const string Approval = "approval";
    public const string ApprovalRefused = "approval_refused";
    public const string Operator = "operator";
    public const string LockWait = "lock_wait";
    public const string LockAcquired = "lock_acquired";
    public const string WindowWait = "window_wait";
    public const string WindowOpen = "window_open";
    public const string Execute = "execute";
    public const string HealthGate = "health_gate";
    public const string Paused = "paused";
    public const string Resumed = "resumed";
    public const string Verify = "verify";
    public const string RollbackStarted = "rollback_started";
    public const string Rollback = "rollback";
    public const string Failure = "failure";
    public const string Audit = "audit";
    public const string JanitorFinal = "janitor_final";

    /// <summary>Every kind: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(EvidenceKinds));
}
