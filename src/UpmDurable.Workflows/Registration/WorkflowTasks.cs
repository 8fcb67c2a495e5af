using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Registration;

/// <summary>The one list of orchestrators and activities, registered by the local host's worker and by DI in both hosts.</summary>
public static class WorkflowTasks
{
    public static readonly Type[] Orchestrators = [typeof(ChangeOrchestrator), typeof(DriftMonitorOrchestrator), typeof(RollbackOrchestrator)];

    /// <summary>Activity classes; each is named after its class (the Functions app's activity triggers use the same names).</summary>
    public static readonly Type[] Activities =
    [
        typeof(CompilePlan),
        typeof(RunPreflight),
        typeof(CheckChangeWindow),
        typeof(ApplyStep),
        typeof(VerifyChange),
        typeof(CompensateStep),
        typeof(PollStepOperation),
        typeof(RecordProgress),
        typeof(NotifyApprovers),
        typeof(NotifyChange),
        typeof(AcquireResourceLocks),
        typeof(ReleaseResourceLocks),
        typeof(ProbeHealth),
        typeof(VerifyRollback),
        typeof(CheckDrift),
        typeof(StartDriftMonitor),
        typeof(StartRemediation),
        typeof(LoadChange),
        typeof(LookUpRateLimit),
        typeof(AcquireRatePermit),
        typeof(ReleaseRatePermit),
    ];

    /// <summary>
    /// Activities that start orchestrations, made over the host's Durable client: the local host's worker creates them with
    /// its client's starter from DI, the Functions triggers with a starter over their [DurableClient] binding (the isolated
    /// worker puts no client in DI). They are in <see cref="Activities"/> but not registered in DI themselves.
    /// </summary>
    public static readonly Type[] ClientActivities = [typeof(StartDriftMonitor)];
}
