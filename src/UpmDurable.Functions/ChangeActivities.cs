using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Functions;

/// <summary>Activity triggers: each delegates to the activity class of the same name in UpmDurable.Workflows.</summary>
public sealed class ChangeActivities(
    CompilePlan compilePlan,
    RunPreflight runPreflight,
    CheckChangeWindow checkChangeWindow,
    ApplyStep applyStep,
    VerifyChange verifyChange,
    CompensateStep compensateStep,
    PollStepOperation pollStepOperation,
    RecordProgress recordProgress,
    NotifyApprovers notifyApprovers,
    NotifyChange notifyChange,
    AcquireResourceLocks acquireLocks,
    ReleaseResourceLocks releaseLocks,
    ProbeHealth probeHealth,
    VerifyRollback verifyRollback,
    CheckDrift checkDrift,
    StartRemediation startRemediation,
    LoadChange loadChange)
{
    [Function(nameof(CompilePlan))]
    public Task<Plan> Compile([ActivityTrigger] ChangeSpec input, FunctionContext context) =>
        compilePlan.RunAsync(ActivityContext.Of(nameof(CompilePlan), context), input);

    [Function(nameof(RunPreflight))]
    public Task<PreflightReport> Preflight([ActivityTrigger] PreflightInput input, FunctionContext context) =>
        runPreflight.RunAsync(ActivityContext.Of(nameof(RunPreflight), context), input);

    [Function(nameof(CheckChangeWindow))]
    public Task<WindowStatus> Window([ActivityTrigger] WindowCheck input, FunctionContext context) =>
        checkChangeWindow.RunAsync(ActivityContext.Of(nameof(CheckChangeWindow), context), input);

    [Function(nameof(ApplyStep))]
    public Task<StepRecord> Apply([ActivityTrigger] StepRequest input, FunctionContext context) =>
        applyStep.RunAsync(ActivityContext.Of(nameof(ApplyStep), context), input);

    [Function(nameof(VerifyChange))]
    public Task<VerifyReport> Verify([ActivityTrigger] VerifyInput input, FunctionContext context) =>
        verifyChange.RunAsync(ActivityContext.Of(nameof(VerifyChange), context), input);

    [Function(nameof(CompensateStep))]
    public Task<StepRecord> Compensate([ActivityTrigger] StepRequest input, FunctionContext context) =>
        compensateStep.RunAsync(ActivityContext.Of(nameof(CompensateStep), context), input);

    [Function(nameof(PollStepOperation))]
    public Task<StepRecord> Poll([ActivityTrigger] StepPoll input, FunctionContext context) =>
        pollStepOperation.RunAsync(ActivityContext.Of(nameof(PollStepOperation), context), input);

    [Function(nameof(NotifyApprovers))]
    public Task<string> Notify([ActivityTrigger] ApprovalNotice input, FunctionContext context) =>
        notifyApprovers.RunAsync(ActivityContext.Of(nameof(NotifyApprovers), context), input);

    [Function(nameof(RecordProgress))]
    public Task<EvidenceHead> Record([ActivityTrigger] ProgressInput input, FunctionContext context) =>
        recordProgress.RunAsync(ActivityContext.Of(nameof(RecordProgress), context), input);

    [Function(nameof(NotifyChange))]
    public Task<string> NotifyChange([ActivityTrigger] ChangeNotice input, FunctionContext context) =>
        notifyChange.RunAsync(ActivityContext.Of(nameof(NotifyChange), context), input);

    [Function(nameof(AcquireResourceLocks))]
    public Task<List<ResourceHolder>> Lock([ActivityTrigger] LockRequest input, FunctionContext context) =>
        acquireLocks.RunAsync(ActivityContext.Of(nameof(AcquireResourceLocks), context), input);

    [Function(nameof(ReleaseResourceLocks))]
    public Task<bool> Unlock([ActivityTrigger] LockRequest input, FunctionContext context) =>
        releaseLocks.RunAsync(ActivityContext.Of(nameof(ReleaseResourceLocks), context), input);

    [Function(nameof(ProbeHealth))]
    public Task<HealthProbe> Probe([ActivityTrigger] VerifyInput input, FunctionContext context) =>
        probeHealth.RunAsync(ActivityContext.Of(nameof(ProbeHealth), context), input);

    [Function(nameof(VerifyRollback))]
    public Task<List<RollbackReadBack>> VerifyRollback([ActivityTrigger] VerifyInput input, FunctionContext context) =>
        verifyRollback.RunAsync(ActivityContext.Of(nameof(VerifyRollback), context), input);

    [Function(nameof(CheckDrift))]
    public Task<DriftReport> CheckDrift([ActivityTrigger] DriftMonitorInput input, FunctionContext context) =>
        checkDrift.RunAsync(ActivityContext.Of(nameof(CheckDrift), context), input);

    [Function(nameof(StartRemediation))]
    public Task<ChangeInput> Remediate([ActivityTrigger] RemediationRequest input, FunctionContext context) =>
        startRemediation.RunAsync(ActivityContext.Of(nameof(StartRemediation), context), input);

    [Function(nameof(LoadChange))]
    public Task<ChangeRecord?> Load([ActivityTrigger] RollbackInput input, FunctionContext context) =>
        loadChange.RunAsync(ActivityContext.Of(nameof(LoadChange), context), input);

    // A client activity (WorkflowTasks.ClientActivities): starting an orchestration needs the Durable client, which the
    // isolated worker hands to a trigger as a binding and never puts in DI; the local host's worker passes its DI starter.
    [Function(nameof(StartDriftMonitor))]
    public Task<bool> StartMonitor([ActivityTrigger] DriftMonitorInput input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        new StartDriftMonitor(new DurableClientStarter(client)).RunAsync(ActivityContext.Of(nameof(StartDriftMonitor), context), input);

    /// <summary>The activity context the Workflows activities expect, built from the Functions invocation.</summary>
    sealed class ActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;

        public static ActivityContext Of(string name, FunctionContext context) =>
            new(name, context.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? string.Empty : string.Empty);
    }
}
