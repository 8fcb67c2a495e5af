using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Validation;
using UpmDurable.Core.Windows;
using UpmDurable.Providers;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// One change, five phases: plan, pre-flight and approvals, execute in waves, verify, audit and rollback.
/// Deterministic: time, ids and timers come from the context; every side effect is an activity.
/// </summary>
public sealed class ChangeOrchestrator : TaskOrchestrator<ChangeInput, ChangeOutcome>
{
    /// <summary>The external event an approval decision arrives as.</summary>
    public const string ApprovalEvent = "ApprovalDecision";

    /// <summary>The external event an operator's pause, resume or abort arrives as.</summary>
    public const string OperatorEvent = "OperatorCommand";

    /// <summary>The external event an approval attempt refused at the door arrives as: recorded, never counted.</summary>
    public const string RefusedApprovalEvent = "ApprovalRefused";

    /// <summary>The Azure Storage backend cannot hold a single timer longer than 6 days: longer waits are chained.</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(6);

    /// <summary>How long a change waits for another change's resource locks before it fails.</summary>
    public static readonly TimeSpan LockWaitLimit = TimeSpan.FromHours(6);

    /// <summary>Transient faults (storage, throttling) are retried with backoff; a step the target refused is not. Shared by every orchestrator.</summary>
    internal static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30))
    {
        HandleFailure = failure => !failure.IsCausedBy<StepFailedException>(),
    });

    /// <summary>
    /// Waits on durable timers until a time, chained in <see cref="MaxTimer"/> pieces. The Azure Storage backend delays
    /// timer messages in whole seconds, so a timer may fire up to a second early: within that, the wait is over.
    /// </summary>
    public static async Task SleepUntilAsync(TaskOrchestrationContext context, DateTime until)
    {
        // At least one timer for any wait still ahead; after a timer fired, what is left within the tolerance is done.
        for (int chained = 0; chained < 1000; chained++)
        {
            TimeSpan remaining = until - context.CurrentUtcDateTime;
            if (remaining <= TimeSpan.Zero || (chained > 0 && remaining <= TimerTolerance))
            {
                return;
            }

            await context.CreateTimer(remaining > MaxTimer ? MaxTimer : remaining, CancellationToken.None);
        }
    }

    /// <summary>How early a durable timer may fire on the Azure Storage backend.</summary>
    public static readonly TimeSpan TimerTolerance = TimeSpan.FromSeconds(1);

    public override async Task<ChangeOutcome> RunAsync(TaskOrchestrationContext context, ChangeInput input)
    {
        var run = new Run(context, input);
        try
        {
            return await RunPhasesAsync(run, input);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            // The failure boundary: whatever still fails after retries ends the change final, compensated, unlocked, recorded.
            return await run.EndAfterFailureAsync(ex);
        }
    }

    /// <summary>
    /// A failure the boundary handles: an activity or sub-orchestration that failed after its retries, or an error of our
    /// own code. The Durable Task SDK's own exceptions (other than <see cref="TaskFailedException"/>) pass through.
    /// </summary>
    internal static bool IsFailure(Exception ex) =>
        ex is TaskFailedException
        || (ex is not (OperationCanceledException or ChangeNotFinalizedException) && ex.GetType().Namespace?.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal) != true);

    // An evidence record that cannot be written because another sits in its place: permanent, and the chain must not fork.
    static bool IsEvidenceConflict(Exception ex) => ex is TaskFailedException failed && failed.FailureDetails.IsCausedBy<Storage.EvidenceConflictException>();

    static async Task<ChangeOutcome> RunPhasesAsync(Run run, ChangeInput input)
    {
        Plan plan = await run.PlanAsync();

        if (!await run.PreflightAsync(plan))
        {
            return await run.FinishAsync(ChangeStatuses.PreflightFailed, "Pre-flight failed: " + run.FirstFailedCheck());
        }

        string approval = await run.AwaitApprovalsAsync(plan);
        if (approval is ChangeStatuses.Rejected or ChangeStatuses.Expired)
        {
            return await run.FinishAsync(approval, run.ApprovalReason(approval));
        }

        if (approval == ChangeStatuses.Aborted)
        {
            return await run.FinishAsync(ChangeStatuses.Aborted, run.AbortedBy);
        }

        if (run.AbortedBy is { } abortedBeforeStart)
        {
            return await run.FinishAsync(ChangeStatuses.Aborted, abortedBeforeStart);
        }

        if (!await run.AcquireLocksAsync(plan))
        {
            return await run.FinishAsync(run.AbortedBy is null ? ChangeStatuses.Failed : ChangeStatuses.Aborted, run.AbortedBy ?? run.LockFailure);
        }

        List<PlanStep> applied = await run.ExecuteAsync(plan);
        if (run.AbortedBy is { } aborted)
        {
            return applied.Count == 0
                ? await run.FinishAsync(ChangeStatuses.Aborted, aborted)
                : await run.RollbackAsync(applied, aborted);
        }

        if (run.OutsideWindow is { } closed)
        {
            return applied.Count == 0
                ? await run.FinishAsync(ChangeStatuses.Failed, closed)
                : await run.RollbackAsync(applied, closed);
        }

        if (run.ExecutionFailed)
        {
            return await run.RollbackAsync(applied, "execution failed: " + run.FirstFailedStep());
        }

        if (run.HealthGateFailed is { } unhealthy)
        {
            return await run.RollbackAsync(applied, unhealthy);
        }

        // On a failed verification the request chooses: roll back (default), or pause for an operator who
        // resumes (verify again) or aborts (roll back).
        for (int attempt = 0; !await run.VerifyAsync(applied); attempt++)
        {
            string failure = "verification failed: " + run.FirstFailedVerifyCheck();
            if (input.Spec.OnVerifyFailure != "pause" || attempt >= 100)
            {
                return await run.RollbackAsync(applied, failure);
            }

            await run.PauseForOperatorAsync(failure);
            if (run.AbortedBy is { } abortedAfterVerify)
            {
                return await run.RollbackAsync(applied, abortedAfterVerify);
            }
        }

        return await run.FinishAsync(ChangeStatuses.Completed, null);
    }

    /// <summary>The state of one orchestration run; kept apart so <see cref="RunAsync"/> reads like the phase list.</summary>
    internal sealed class Run(TaskOrchestrationContext context, ChangeInput input)
    {
        readonly List<PlanStep> compensations = [];
        List<ResourceKeyRef>? locked;

        // The resources an acquire was attempted for; released by the failure boundary (never with an owner) if it threw.
        List<ResourceKeyRef>? lockAttempt;
        bool releaseWithoutOwner;

        // Set when a rollback started: a failure after it ends the change rollback_failed, never a second rollback.
        bool rollbackStarted;

        // Set after an evidence conflict: nothing more is written to the chain (RecordProgress already marked the change
        // failed); compensations and lock release still run, then the orchestration fails loudly.
        bool evidenceFrozen;

        // Set for a change continued from its stored record (rollback after completion): a failure before the rollback
        // starts leaves it completed.
        readonly bool continuesFinishedChange;

        ChangeRecord record = new()
        {
            ChangeId = input.ChangeId,
            Tenant = input.Tenant,
            Initiator = input.Initiator,
            Status = ChangeStatuses.Running,
            Phase = Phases.Plan,
            SubmittedAt = input.SubmittedAt,
            Intent = input.Spec,
            OrchestrationVersion = WorkflowVersion.OfOrchestration(context.Version),
        };

        public bool ExecutionFailed => record.Execution.Steps.Any(s => s.Outcome == "failed");

        /// <summary>Set when execution stopped because the change window was closed and the request said not to wait.</summary>
        public string? OutsideWindow { get; private set; }

        /// <summary>Set when an operator aborted the change: who and why.</summary>
        public string? AbortedBy { get; private set; }

        /// <summary>Set when a wave failed its health gate and the request asked for rollback instead of a pause.</summary>
        public string? HealthGateFailed { get; private set; }

        /// <summary>Set when the resources' locks could not be taken in time.</summary>
        public string? LockFailure { get; private set; }

        /// <summary>Continues a finished change (post-completion rollback) from its stored record.</summary>
        public Run(TaskOrchestrationContext context, ChangeInput input, ChangeRecord stored)
            : this(context, input)
        {
            record = stored;
            continuesFinishedChange = true;
        }

        // The one outstanding wait for operator commands; a new one is started once a command is taken.
        Task<OperatorCommand>? operatorCommand;
        bool pausePending;

        Task<OperatorCommand> OperatorCommandTask => operatorCommand ??= context.WaitForExternalEvent<OperatorCommand>(OperatorEvent);

        // Takes a command that has arrived (deterministic: completion comes from history), records it, and renews the wait.
        OperatorCommand? TakeOperatorCommand()
        {
            if (operatorCommand is not { IsCompleted: true } done)
            {
                return null;
            }

            OperatorCommand command = done.Result;
            operatorCommand = null;
            record = record with { OperatorCommands = [.. record.OperatorCommands, command] };
            Trace($"operator {command.Action} by {command.By}{(command.Reason is null ? string.Empty : ": " + command.Reason)}");
            if (command.Action == "abort")
            {
                AbortedBy = $"aborted by {command.By}{(command.Reason is null ? string.Empty : ": " + command.Reason)}";
            }
            else if (command.Action == "pause")
            {
                pausePending = true;
            }

            return command;
        }

        // Between waves: apply a pending pause (wait for resume or abort) and report whether to go on.
        async Task<bool> OperatorAllowsNextWaveAsync()
        {
            _ = OperatorCommandTask;
            TakeOperatorCommand();
            if (pausePending && AbortedBy is null)
            {
                await StayPausedAsync(record.OperatorCommands[^1]);
            }

            return AbortedBy is null;
        }

        /// <summary>Self-pause (health gate, failed verification): recorded with the reason, notified, held until resume or abort.</summary>
        public async Task PauseForOperatorAsync(string reason)
        {
            _ = OperatorCommandTask;
            TakeOperatorCommand();
            if (AbortedBy is not null)
            {
                return;
            }

            record = record with { Reason = reason };
            Trace($"change paused: {reason}; waiting for an operator to resume or abort");
            try
            {
                await context.CallActivityAsync<string>(nameof(NotifyChange), new ChangeNotice(input.ChangeId, input.Tenant, "change_paused", reason, context.CurrentUtcDateTime), Retry);
            }
            catch (TaskFailedException ex)
            {
                Trace($"pause notification failed: {ex.FailureDetails.ErrorMessage}");
            }

            await StayPausedAsync(new { reason });
            record = record with { Reason = null };
        }

        // Holds the change paused until an operator resumes or aborts it.
        async Task StayPausedAsync(object cause)
        {
            pausePending = true;
            record = record with { Status = ChangeStatuses.Paused };
            await CheckpointAsync("paused", cause);
            for (int waits = 0; pausePending && AbortedBy is null && waits < 1000; waits++)
            {
                await OperatorCommandTask;
                if (TakeOperatorCommand() is { Action: "resume" })
                {
                    pausePending = false;
                    record = record with { Status = ChangeStatuses.Running };
                    await CheckpointAsync("resumed", record.OperatorCommands[^1]);
                }
            }
        }

        /// <summary>
        /// Takes the lock of every resource of the plan before the first step, so two changes never mutate one resource at
        /// once. While another change holds one, waits on durable timers, visibly (<c>waiting_for_lock</c>, naming the holder,
        /// or only "a change of another tenant" on a shared target).
        /// </summary>
        public async Task<bool> AcquireLocksAsync(Plan plan)
        {
            var resources = plan.Steps.Select(s => new ResourceKeyRef(input.Spec.Provider, s.Type, s.Name)).ToList();
            var request = new LockRequest(input.Tenant, input.ChangeId, resources);

            // An acquire that fails after its retries may have taken some rows: the failure boundary gives back whatever is ours.
            lockAttempt = resources;
            DateTime giveUp = context.CurrentUtcDateTime + LockWaitLimit;
            TimeSpan delay = TimeSpan.FromSeconds(2);
            string holders = string.Empty;

            // Bounded: at most 30 s between attempts, so the wait limit is reached well before the last attempt.
            for (int attempt = 0; attempt < 2000; attempt++)
            {
                List<Storage.ResourceHolder> held = await context.CallActivityAsync<List<Storage.ResourceHolder>>(nameof(AcquireResourceLocks), request, Retry);
                if (held.Count == 0)
                {
                    locked = resources;
                    if (record.Status == ChangeStatuses.WaitingForLock)
                    {
                        record = record with { Status = ChangeStatuses.Running, Reason = null };
                        Trace("resource locks taken");
                        await CheckpointAsync("lock_acquired", new { resources = resources.Count });
                    }

                    return true;
                }

                holders = string.Join(", ", held.Take(5).Select(h => $"{h.Resource} ({h.HeldBy})"));
                if (context.CurrentUtcDateTime >= giveUp)
                {
                    LockFailure = $"resources still locked by other changes after {LockWaitLimit}: {holders}";
                    return false;
                }

                if (record.Status != ChangeStatuses.WaitingForLock)
                {
                    record = record with { Status = ChangeStatuses.WaitingForLock, Reason = $"waiting for resource locks: {holders}" };
                    Trace($"waiting for resource locks: {holders}");
                    await CheckpointAsync("lock_wait", held);
                }

                using var cancel = new CancellationTokenSource();
                Task timer = context.CreateTimer(delay, cancel.Token);
                if (await Task.WhenAny(timer, OperatorCommandTask) != timer)
                {
                    cancel.Cancel();
                    TakeOperatorCommand();
                    if (AbortedBy is not null)
                    {
                        return false;
                    }
                }

                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }

            LockFailure = $"resources still locked by other changes: {holders}";
            return false;
        }

        async Task ReleaseLocksAsync(string status)
        {
            if (locked is null)
            {
                return;
            }

            // A completed change owns its resources' intended state (a remediation restores its original's, which keeps it).
            string? owner = status == ChangeStatuses.Completed && !releaseWithoutOwner ? input.RemediationOf ?? input.ChangeId : null;
            await context.CallActivityAsync<bool>(nameof(ReleaseResourceLocks), new LockRequest(input.Tenant, input.ChangeId, locked, owner), Retry);
            locked = null;
        }

        // After each wave: probe its resources for the observation period; below the threshold pause (or roll back).
        async Task<bool> HealthGateAsync(List<PlanStep> wave)
        {
            if (input.Spec.HealthGate is not { } gate || wave.Count == 0)
            {
                return true;
            }

            DateTime until = context.CurrentUtcDateTime + TimeSpan.FromSeconds(gate.ObserveSeconds);
            for (int probeNo = 0; probeNo < 10_000; probeNo++)
            {
                HealthProbe probe = await context.CallActivityAsync<HealthProbe>(
                    nameof(ProbeHealth), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, wave), Retry);
                record = record with { Execution = record.Execution with { HealthGates = [.. record.Execution.HealthGates, probe] } };
                if (!probe.Passes(gate.MinHealthyPercent))
                {
                    string reason = $"health gate after wave {probe.Wave}: {probe.HealthyPercent}% healthy, below {gate.MinHealthyPercent}% (unhealthy: {string.Join(", ", probe.Unhealthy.Take(5))})";
                    Trace(reason);
                    await CheckpointAsync("health_gate", probe);
                    if (gate.OnFailure == "rollback")
                    {
                        HealthGateFailed = reason;
                        return false;
                    }

                    await PauseForOperatorAsync(reason);
                    return AbortedBy is null;
                }

                if (context.CurrentUtcDateTime + TimeSpan.FromSeconds(gate.ProbeIntervalSeconds) > until)
                {
                    Trace($"health gate after wave {probe.Wave} passed: {probe.Healthy}/{probe.Total} healthy");
                    await CheckpointAsync("health_gate", probe);
                    return true;
                }

                await context.CreateTimer(TimeSpan.FromSeconds(gate.ProbeIntervalSeconds), CancellationToken.None);
            }

            return true;
        }

        public async Task<Plan> PlanAsync()
        {
            EnterPhase(Phases.Plan, ChangeStatuses.Running);
            Trace($"change submitted by {input.Initiator} via {input.Spec.Source}");
            Plan plan = await context.CallActivityAsync<Plan>(nameof(CompilePlan), input.Spec, Retry);
            record = record with
            {
                Plan = plan,
                Rollback = record.Rollback with { Available = true, Plan = plan.RollbackPlan.Select(r => r.Command).ToList() },
            };
            Trace($"plan compiled: {plan.Steps.Count} steps in {plan.Waves.Count} waves, {plan.PlanHash}");
            await CheckpointAsync("plan", plan);
            return plan;
        }

        public async Task<bool> PreflightAsync(Plan plan)
        {
            EnterPhase(Phases.Preflight, ChangeStatuses.Running);
            PreflightReport report = await context.CallActivityAsync<PreflightReport>(
                nameof(RunPreflight), new PreflightInput(input.Tenant, input.ChangeId, input.Spec.Provider, plan, input.Spec, input.Initiator, input.SubmittedAt), Retry);
            record = record with { Preflight = report };
            Trace(report.Ok ? $"preflight complete: {report.Checks.Count} checks passed" : "preflight failed: " + FirstFailedCheck());
            await CheckpointAsync("preflight", report);
            return report.Ok;
        }

        public async Task<string> AwaitApprovalsAsync(Plan plan)
        {
            ChangeSpec spec = input.Spec;

            // Policy decides (pre-flight ran it); a record without one (an older history) gets the built-in floor.
            ApprovalRequirement requirement = record.Preflight?.Approval
                ?? new ApprovalRequirement(Math.Max(1, spec.ApprovalsRequired), false, "built-in floor", ApprovalPolicyDecision.FloorRule, spec.ApprovalGroups, 1, []);
            if (requirement.AutoApproved)
            {
                var policyDecision = new ApprovalDecision
                {
                    Approver = "policy",
                    Decision = "approve",
                    PlanHash = plan.PlanHash,
                    Comment = requirement.Reason,
                    Channel = "auto-approval-lane",
                    At = context.CurrentUtcDateTime,
                };
                record = record with { Approvals = new ApprovalState { PlanHash = plan.PlanHash, Outcome = "auto_approved", Rule = requirement.Rule, Decisions = [policyDecision] } };
                Trace($"approved by policy: {requirement.Reason}");
                await CheckpointAsync("approval", record.Approvals);
                return "approved";
            }

            int requiredApprovals = Math.Max(1, requirement.Required);
            List<string> eligible = requirement.EligibleGroups;
            DateTime deadline = context.CurrentUtcDateTime + ChangeRequestValidator.ParseDuration(spec.ApprovalTimeout);
            record = record with
            {
                Status = ChangeStatuses.AwaitingApproval,
                Approvals = new ApprovalState
                {
                    Groups = eligible,
                    Required = requiredApprovals,
                    Deadline = new DateTimeOffset(deadline, TimeSpan.Zero),
                    PlanHash = plan.PlanHash,
                    Rule = requirement.Rule,
                    PolicyMinimum = requirement.PolicyMinimum,
                    Requested = spec.RequestedApprovals,
                    AddedGroups = requirement.AddedGroups ?? [],
                },
            };
            Trace($"awaiting {requiredApprovals} approval(s) from {string.Join(", ", eligible)} until {deadline:O} ({requirement.Reason})");
            await CheckpointAsync("approval_requested", record.Approvals);
            try
            {
                string notified = await context.CallActivityAsync<string>(
                    nameof(NotifyApprovers),
                    new ApprovalNotice(input.ChangeId, input.Tenant, input.Initiator, spec.Request, plan.PlanHash, requiredApprovals, eligible, new DateTimeOffset(deadline, TimeSpan.Zero), record.Preflight?.Annotation?.RiskScore),
                    Retry);
                Trace($"approvers notification: {notified}");
            }
            catch (TaskFailedException ex)
            {
                // A notification that cannot be delivered never blocks the change: approvers can still decide.
                Trace($"approvers notification failed: {ex.FailureDetails.ErrorMessage}");
            }

            while (!requirement.IsMetBy(record.Approvals.Decisions))
            {
                ApprovalDecision? decision = await WaitForDecisionAsync(deadline);
                if (decision is null && AbortedBy is not null)
                {
                    record = record with { Approvals = record.Approvals with { Outcome = "aborted" } };
                    return ChangeStatuses.Aborted;
                }

                if (decision is null)
                {
                    record = record with { Approvals = record.Approvals with { Outcome = "expired" } };
                    Trace("approval timed out");
                    return ChangeStatuses.Expired;
                }

                // Refused at the door, or refused here: the orchestration checks every decision again, it is the authority.
                ApprovalRefusal? broken = decision.RefusedBecause is null ? ApprovalRules.Check(decision, input.Initiator, plan.PlanHash, eligible, ApprovalRules.ApprovedBy(record.Approvals.Decisions)) : null;
                if (decision.RefusedBecause is not null || broken is not null)
                {
                    await RecordRefusedAsync(decision with { RefusedBecause = decision.RefusedBecause ?? broken!.Reason, RefusalKind = decision.RefusalKind ?? broken?.Kind.ToString() });
                    continue;
                }

                record = record with { Approvals = record.Approvals with { Decisions = [.. record.Approvals.Decisions, decision] } };
                if (decision.Decision == "reject")
                {
                    record = record with { Approvals = record.Approvals with { Outcome = "rejected" } };
                    Trace($"rejected by {decision.Approver} via {decision.Channel}: {decision.Comment}");
                    await CheckpointAsync("approval", decision);
                    return ChangeStatuses.Rejected;
                }

                Trace($"approved by {decision.Approver} via {decision.Channel} ({ApprovalRules.ApprovedBy(record.Approvals.Decisions).Count} of {requiredApprovals})");
                if (requirement.IsMetBy(record.Approvals.Decisions))
                {
                    record = record with { Approvals = record.Approvals with { Outcome = "approved" } };
                }

                await CheckpointAsync("approval", decision);
            }

            return "approved";
        }

        /// <summary>Most refused attempts recorded one by one on a change; past it (and for repeats) only counts grow.</summary>
        public const int MaxRefusedRecorded = 20;

        // A refused attempt is recorded once per (principal, rule broken) with its own evidence record; a repeat only
        // raises that entry's count, and nothing is checkpointed for it (the count lands with the next checkpoint), so a
        // flood of refused attempts costs no history, no evidence blobs and no record rewrites.
        async Task RecordRefusedAsync(ApprovalDecision refused)
        {
            List<ApprovalDecision> recorded = record.Approvals.Refused;
            int same = recorded.FindIndex(r => ApprovalRules.SamePerson.Equals(r.Approver, refused.Approver) && (r.RefusalKind ?? r.RefusedBecause) == (refused.RefusalKind ?? refused.RefusedBecause));
            if (same >= 0)
            {
                recorded = [.. recorded];
                recorded[same] = recorded[same] with { Attempts = recorded[same].Attempts + 1 };
                record = record with { Approvals = record.Approvals with { Refused = recorded } };
                return;
            }

            if (recorded.Count >= MaxRefusedRecorded)
            {
                record = record with { Approvals = record.Approvals with { RefusedNotRecorded = record.Approvals.RefusedNotRecorded + 1 } };
                return;
            }

            record = record with { Approvals = record.Approvals with { Refused = [.. recorded, refused] } };
            Trace($"approval attempt by {refused.Approver} refused: {refused.RefusedBecause}");
            await CheckpointAsync("approval_refused", refused);
        }

        public async Task<List<PlanStep>> ExecuteAsync(Plan plan)
        {
            EnterPhase(Phases.Execute, ChangeStatuses.Running);

            // Execution runs only the plan that was approved: its content must still hash to the approved plan hash.
            string approvedHash = record.Approvals.PlanHash ?? plan.PlanHash;
            if (CanonicalJson.Hash(plan with { PlanHash = string.Empty }) != approvedHash)
            {
                record = record with { Execution = record.Execution with { Steps = [FailedStep(plan.Steps[0], new InvalidOperationException($"plan no longer matches the approved hash {approvedHash}"))] } };
                return [];
            }

            var applied = new List<PlanStep>();
            var byId = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (List<string> wave in plan.Waves)
            {
                // One checkpoint per wave (or at the first failed batch), not per batch: each checkpoint carries the
                // whole record into history, so a 1,000-step change checkpointing per batch spent more in
                // checkpoints and their replay than in its steps. Progress per batch is still published.
                var waveRecords = new List<StepRecord>();
                // Operator commands and the window are checked before every wave: a change never starts a wave paused,
                // aborted or outside its window.
                if (!await OperatorAllowsNextWaveAsync() || !await WindowOpenAsync())
                {
                    return applied;
                }

                foreach (PlanStep[] batch in wave.Select(id => byId[id]).Chunk(input.Spec.MaxParallel))
                {
                    var running = new List<(PlanStep Step, Task<StepRecord> Task)>();
                    foreach (PlanStep step in batch)
                    {
                        // The compensation is registered before its step runs: a step that fails half-way is still undone.
                        compensations.Add(step);
                        running.Add((step, StepDurablyAsync(nameof(ApplyStep), step)));
                    }

                    try
                    {
                        await Task.WhenAll(running.Select(r => r.Task));
                    }
                    catch (TaskFailedException)
                    {
                        // Each failure is read from its own task below.
                    }

                    var records = running.Select(r => r.Task.IsCompletedSuccessfully ? r.Task.Result : FailedStep(r.Step, r.Task.Exception)).ToList();
                    applied.AddRange(running.Where(r => r.Task.IsCompletedSuccessfully).Select(r => r.Step));
                    record = record with { Execution = record.Execution with { Steps = [.. record.Execution.Steps, .. records] } };
                    foreach (StepRecord step in records)
                    {
                        Trace($"execute step {step.StepId} (wave {step.Wave}): {(step.Outcome == "failed" ? "FAILED rc=" + step.Rc : "OK " + step.Outcome)}");
                    }

                    waveRecords.AddRange(records);
                    if (ExecutionFailed)
                    {
                        await CheckpointAsync("execute", waveRecords);
                        return applied;
                    }

                    PublishProgress();
                }

                await CheckpointAsync("execute", waveRecords);

                if (!await HealthGateAsync(wave.Select(id => byId[id]).ToList()))
                {
                    return applied;
                }
            }

            return applied;
        }

        // Waits on durable timers while the window is closed (visible as waiting_for_window), unless the request says not to.
        async Task<bool> WindowOpenAsync()
        {
            if (input.Spec.WindowCalendar is not { } calendar)
            {
                return true;
            }

            for (int attempt = 0; attempt < 100; attempt++)
            {
                WindowStatus window = await context.CallActivityAsync<WindowStatus>(
                    nameof(CheckChangeWindow), new WindowCheck(calendar, context.CurrentUtcDateTime, input.Tenant, input.ChangeId), Retry);
                if (window.Open)
                {
                    if (record.Status == ChangeStatuses.WaitingForWindow)
                    {
                        record = record with { Status = ChangeStatuses.Running };
                        Trace($"change window '{calendar}' open: {window.Reason}");
                        await CheckpointAsync("window_open", window);
                    }

                    return true;
                }

                if (!input.Spec.WindowWait || window.NextOpen is null)
                {
                    OutsideWindow = $"outside change window '{calendar}': {window.Reason}" + (input.Spec.WindowWait ? " and it does not open again" : " (window.wait=false)");
                    Trace(OutsideWindow);
                    return false;
                }

                record = record with { Status = ChangeStatuses.WaitingForWindow };
                Trace($"change window '{calendar}' closed ({window.Reason}); waiting until {window.NextOpen:O}");
                await CheckpointAsync("window_wait", window);
                await SleepUntilAsync(context, window.NextOpen.Value.UtcDateTime);
            }

            OutsideWindow = $"outside change window '{calendar}': gave up after 100 waits";
            return false;
        }

        public async Task<bool> VerifyAsync(List<PlanStep> applied)
        {
            EnterPhase(Phases.Verify, ChangeStatuses.Running);
            VerifyReport report = await context.CallActivityAsync<VerifyReport>(
                nameof(VerifyChange), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, applied), Retry);
            record = record with { Verification = report };
            Trace(report.Ok ? $"verify OK: {report.Checks.Count} checks, baseline {report.BaselineHash}" : "verify failed: " + FirstFailedVerifyCheck());
            await CheckpointAsync("verify", report);
            return report.Ok;
        }

        /// <summary>Rolls back a completed change on an operator's request: the compensations of every applied step, LIFO.</summary>
        public async Task<ChangeOutcome> RollbackFinishedAsync(RollbackInput request)
        {
            Plan plan = record.Plan!;
            List<PlanStep> applied = AppliedSteps();
            string trigger = $"rollback requested by {request.RequestedBy}" + (request.Reason is null ? string.Empty : ": " + request.Reason);
            record = record with
            {
                OperatorCommands = [.. record.OperatorCommands, new OperatorCommand("rollback", request.RequestedBy, request.Reason, request.At, request.RequestedByName)],
                Rollback = record.Rollback with { RequestedBy = request.RequestedBy },
            };
            Trace(trigger);
            if (!await AcquireLocksAsync(plan))
            {
                return await FinishAsync(ChangeStatuses.Completed, $"rollback not run: {LockFailure ?? AbortedBy}");
            }

            compensations.AddRange(applied);
            return await RollbackAsync(applied, trigger);
        }

        /// <summary>Runs the registered compensations last-in-first-out; one that fails is recorded and the rest still run.</summary>
        public async Task<ChangeOutcome> RollbackAsync(List<PlanStep> applied, string trigger)
        {
            // From here on nothing stops the compensations: an evidence write that fails is traced (the final audit record
            // carries the whole record) and a failed read-back makes the rollback failed, not the orchestration.
            rollbackStarted = true;
            EnterPhase(Phases.Audit, ChangeStatuses.RollingBack);
            record = record with { Rollback = record.Rollback with { Executed = true, Trigger = trigger, DetectedAt = context.CurrentUtcDateTime } };
            Trace($"rollback started ({trigger}): {compensations.Count} compensations, last in first out");
            await CheckpointOrTraceAsync("rollback_started", new { trigger, steps = compensations.Select(c => c.Id).Reverse().ToList(), applied = applied.Select(a => a.Id).ToList() });

            bool failed = false;
            for (int i = compensations.Count - 1; i >= 0; i--)
            {
                PlanStep step = compensations[i];
                StepRecord result;
                try
                {
                    result = await StepDurablyAsync(nameof(CompensateStep), step);
                }
                catch (TaskFailedException ex)
                {
                    failed = true;
                    result = FailedStep(step, ex) with { Cmd = step.Rollback };
                    context.CreateReplaySafeLogger<ChangeOrchestrator>().LogWarning("Compensation of {Step} in change {ChangeId} failed: {Error}", step.Id, input.ChangeId, ex.FailureDetails.ErrorMessage);
                }

                record = record with { Rollback = record.Rollback with { Steps = [.. record.Rollback.Steps, result] } };
                Trace($"rollback step {step.Id}: {result.Outcome}");
            }

            // Read back what was compensated: the evidence that the resources are gone (or were kept because they existed before).
            List<RollbackReadBack> readBacks;
            try
            {
                readBacks = await context.CallActivityAsync<List<RollbackReadBack>>(
                    nameof(VerifyRollback), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, compensations.AsEnumerable().Reverse().ToList()), Retry);
            }
            catch (TaskFailedException ex)
            {
                // Unread is not proven gone: every compensated resource counts as left behind until someone looks.
                readBacks = [];
                failed = true;
                trigger += $"; rollback read-back failed after retries ({ex.FailureDetails.ErrorMessage}), so nothing is proven gone";
            }

            var leftBehind = readBacks.Count == 0 && compensations.Count > 0 && failed
                ? compensations.Select(c => $"{c.Type}/{c.Name}").ToList()
                : readBacks.Where(r => r.State == "left_behind").Select(r => r.Resource).ToList();
            failed |= leftBehind.Count > 0;
            record = record with { Rollback = record.Rollback with { ReadBacks = readBacks, LeftBehind = leftBehind, VerifiedAt = context.CurrentUtcDateTime } };
            Trace(leftBehind.Count == 0 ? $"rollback verified: {readBacks.Count(r => r.State == "gone")} gone, {readBacks.Count(r => r.State == "kept")} kept" : $"rollback left behind: {string.Join(", ", leftBehind)}");
            await CheckpointOrTraceAsync("rollback", record.Rollback);
            return await FinishAsync(failed ? ChangeStatuses.RollbackFailed : ChangeStatuses.RolledBack, trigger);
        }

        /// <summary>Delays between attempts to finish a change whose locks or final record cannot be written (about 3.5 hours in all).</summary>
        internal static readonly TimeSpan[] FinishRetryDelays =
            [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
             TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60)];

        /// <summary>
        /// Ends the change: releases its locks, writes the final record and its audit evidence. Both are retried on durable
        /// timers well past the activity retry budget (a storage outage of hours); past that the orchestration fails and the
        /// janitor of the reconciliation sweep finishes the change.
        /// </summary>
        public async Task<ChangeOutcome> FinishAsync(string status, string? reason)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return await FinishOnceAsync(status, reason, traced: attempt > 0);
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    if (IsEvidenceConflict(ex))
                    {
                        evidenceFrozen = true; // Permanent: the next attempt releases what is left and fails loudly.
                        continue;
                    }

                    if (attempt >= FinishRetryDelays.Length)
                    {
                        throw new ChangeNotFinalizedException($"change {input.ChangeId} could not be finished as {status}: {Describe(ex)}", ex);
                    }

                    Trace($"finishing as {status} failed ({Describe(ex)}); trying again in {FinishRetryDelays[attempt]}");
                    await context.CreateTimer(FinishRetryDelays[attempt], CancellationToken.None);
                }
            }
        }

        // One attempt; a retry (traced) does not repeat the trace lines of the first.
        async Task<ChangeOutcome> FinishOnceAsync(string status, string? reason, bool traced)
        {
            await ReleaseLocksAsync(status);
            if (evidenceFrozen)
            {
                throw new ChangeNotFinalizedException($"change {input.ChangeId} would end {status}, but its evidence chain has a conflicting record: nothing more is written; the change stays failed as recorded", null);
            }

            bool monitor = status == ChangeStatuses.Completed && input.Spec.DriftMode != "off" && input.RemediationOf is null;
            if (monitor && !traced)
            {
                Trace($"drift monitor ({input.Spec.DriftMode}, every {input.Spec.DriftInterval}) starts now");
            }

            EnterPhase(Phases.Audit, status);
            record = record with { Reason = reason };
            if (!traced)
            {
                Trace(reason is null ? $"change {status}" : $"change {status}: {reason}");
            }

            await CheckpointAsync("audit", new { status, reason, steps = record.Execution.Steps.Count, rollback_steps = record.Rollback.Steps.Count });

            // After the record says completed: the monitor's first check must see a completed change.
            if (monitor)
            {
                await StartDriftMonitorAsync();
            }

            return new ChangeOutcome(status, reason);
        }

        /// <summary>
        /// The failure boundary's end of a change: records the failure, compensates the steps that ran (unless a rollback
        /// already started: then it ends rollback_failed), releases the locks and writes the final record. A continued
        /// finished change (rollback after completion) that fails before its rollback starts stays completed.
        /// </summary>
        public async Task<ChangeOutcome> EndAfterFailureAsync(Exception error)
        {
            string what = Describe(error);
            string phase = record.Phase;
            evidenceFrozen |= IsEvidenceConflict(error);
            context.CreateReplaySafeLogger<ChangeOrchestrator>().LogError("Change {ChangeId} failed in {Phase}: {Error}", input.ChangeId, phase, what);
            Trace($"{phase} failed after retries: {what}");
            if (locked is null && lockAttempt is not null)
            {
                locked = lockAttempt;
                releaseWithoutOwner = true;
            }

            await CheckpointOrTraceAsync("failure", new { phase, task = (error as TaskFailedException)?.TaskName, error = what, applied = AppliedSteps().Select(s => s.Id).ToList() });
            string reason = $"{phase} failed: {what}";
            if (rollbackStarted)
            {
                return await FinishAsync(ChangeStatuses.RollbackFailed, $"{record.Rollback.Trigger}; then {reason}");
            }

            if (compensations.Count > 0)
            {
                return await RollbackAsync(AppliedSteps(), reason);
            }

            return continuesFinishedChange
                ? await FinishAsync(ChangeStatuses.Completed, $"rollback not run: {reason}")
                : await FinishAsync(ChangeStatuses.Failed, reason);
        }

        // The plan's steps whose execution succeeded.
        List<PlanStep> AppliedSteps()
        {
            var done = record.Execution.Steps.Where(s => s.Outcome != "failed").Select(s => s.StepId).ToHashSet(StringComparer.Ordinal);
            return record.Plan?.Steps.Where(s => done.Contains(s.Id)).ToList() ?? [];
        }

        static string Describe(Exception error) => error is TaskFailedException failed
            ? $"{failed.TaskName}: {failed.FailureDetails.ErrorMessage}"
            : $"{error.GetType().Name}: {error.Message}";

        async Task StartDriftMonitorAsync()
        {
            try
            {
                await context.CallActivityAsync<bool>(
                    nameof(StartDriftMonitor), new DriftMonitorInput(input.Tenant, input.ChangeId, input.Spec.DriftMode, input.Spec.DriftInterval), Retry);
            }
            catch (TaskFailedException ex)
            {
                // The reconciliation sweep starts monitors that are missing.
                context.CreateReplaySafeLogger<ChangeOrchestrator>().LogWarning("Drift monitor of change {ChangeId} not started ({Error}); the reconciliation sweep will start it", input.ChangeId, ex.FailureDetails.ErrorMessage);
            }
        }

        public string FirstFailedCheck() => record.Preflight?.Checks.FirstOrDefault(c => !c.Ok)?.Message ?? "unknown";

        public string FirstFailedStep()
        {
            StepRecord? step = record.Execution.Steps.FirstOrDefault(s => s.Outcome == "failed");
            return step is null ? "unknown" : $"{step.StepId}: {step.Stderr}";
        }

        public string FirstFailedVerifyCheck()
        {
            VerifyCheck? check = record.Verification?.Checks.FirstOrDefault(c => !c.Ok);
            return check is null ? "unknown" : $"{check.Target}: {check.Message}";
        }

        public string ApprovalReason(string status) => status == ChangeStatuses.Expired
            ? $"no decision within {input.Spec.ApprovalTimeout}"
            : $"rejected by {record.Approvals.Decisions.LastOrDefault()?.Approver}: {record.Approvals.Decisions.LastOrDefault()?.Comment}";

        async Task<ApprovalDecision?> WaitForDecisionAsync(DateTime deadline)
        {
            // Bounded: the longest allowed timeout (90 days) is at most 16 chained timers, plus operator commands.
            for (int chained = 0; chained < 1000; chained++)
            {
                TimeSpan remaining = deadline - context.CurrentUtcDateTime;
                if (remaining <= TimeSpan.Zero || (chained > 0 && remaining <= TimerTolerance))
                {
                    return null;
                }

                using var cancel = new CancellationTokenSource();
                Task<ApprovalDecision> decision = context.WaitForExternalEvent<ApprovalDecision>(ApprovalEvent, cancel.Token);
                Task<ApprovalDecision> refused = context.WaitForExternalEvent<ApprovalDecision>(RefusedApprovalEvent, cancel.Token);
                Task timer = context.CreateTimer(remaining > MaxTimer ? MaxTimer : remaining, cancel.Token);
                Task winner = await Task.WhenAny(decision, refused, timer, OperatorCommandTask);
                cancel.Cancel();
                if (winner == operatorCommand)
                {
                    // Abort ends the wait; pause is kept and applied before the first wave; resume clears it.
                    if (TakeOperatorCommand() is { Action: "resume" })
                    {
                        pausePending = false;
                    }

                    if (AbortedBy is not null)
                    {
                        return null;
                    }

                    await CheckpointAsync("operator", record.OperatorCommands[^1]);
                    continue;
                }

                if (winner == decision)
                {
                    return await decision;
                }

                if (winner == refused)
                {
                    ApprovalDecision attempt = await refused;
                    return attempt with { RefusedBecause = attempt.RefusedBecause ?? "refused at the door", RefusalKind = attempt.RefusalKind ?? "Door" };
                }
            }

            return null;
        }

        // A long-running operation (ARM) is waited for on durable timers between short polls, never inside one activity.
        Task<StepRecord> StepDurablyAsync(string activity, PlanStep step) => DurableStep.RunAsync(context, activity, StepRequestFor(step), Retry);

        StepRequest StepRequestFor(PlanStep step) => new() { Tenant = input.Tenant, ChangeId = input.ChangeId, Step = step, Provider = input.Spec.Provider, Faults = input.Spec.Faults };

        StepRecord FailedStep(PlanStep step, Exception? error)
        {
            TaskFailureDetails? details = (error as TaskFailedException ?? error?.InnerException as TaskFailedException)?.FailureDetails;
            return new StepRecord
            {
                StepId = step.Id,
                Wave = step.Wave,
                Cmd = step.Command,
                Rc = 1,
                Stderr = details?.ErrorMessage ?? error?.Message ?? "failed",
                Outcome = "failed",
                StartedAt = context.CurrentUtcDateTime,
                FinishedAt = context.CurrentUtcDateTime,
            };
        }

        void EnterPhase(string phase, string status)
        {
            if (record.Phase != phase || !record.PhaseStartedAt.ContainsKey(phase))
            {
                record = record with { PhaseStartedAt = new Dictionary<string, DateTimeOffset>(record.PhaseStartedAt) { [phase] = context.CurrentUtcDateTime } };
            }

            record = record with { Phase = phase, Status = status };
        }

        void Trace(string message)
        {
            record = record with { AuditTrace = [.. record.AuditTrace, new AuditEntry(context.CurrentUtcDateTime, record.Phase, message)] };
            context.CreateReplaySafeLogger<ChangeOrchestrator>().LogInformation("Change {ChangeId} [{Phase}] {Message}", input.ChangeId, record.Phase, message);
        }

        void PublishProgress() =>
            context.SetCustomStatus(new ChangeProgress(record.Phase, record.Status, record.Execution.Steps.Count(s => s.Outcome != "failed"), record.Plan?.Steps.Count ?? 0));

        /// <summary>Attempts of one checkpoint before it fails (as the shared retry policy: 1, 2, 4, 8 s apart).</summary>
        const int CheckpointAttempts = 5;

        // A checkpoint on the way out of a failure: when its evidence cannot be written, the trace says so and the change goes on
        // to its final record (which carries the whole record, trace included).
        async Task CheckpointOrTraceAsync(string kind, object body)
        {
            try
            {
                await CheckpointAsync(kind, body);
            }
            catch (TaskFailedException ex)
            {
                Trace($"evidence record '{kind}' not written: {ex.FailureDetails.ErrorMessage}");
            }
        }

        async Task CheckpointAsync(string kind, object body)
        {
            record = record with { UpdatedAt = context.CurrentUtcDateTime };
            PublishProgress();
            if (evidenceFrozen)
            {
                return;
            }

            // A replayed activity call takes its result from history and never reads its input: building the input again
            // (the whole record, ~1.5 MB for 1,000 steps) on every replay of every checkpoint made replays quadratic. The
            // retries are this loop's, not a retry policy's: a policy re-sends the input of its first attempt, which is null
            // when that attempt was replayed and the retry is new (an outage spanning episodes).
            EvidenceHead head;
            TimeSpan delay = TimeSpan.FromSeconds(1);
            for (int attempt = 1; ; attempt++)
            {
                ProgressInput? progress = context.IsReplaying ? null : new ProgressInput(record, kind, JsonSerializer.SerializeToElement(body, UpmJson.Options));
                try
                {
                    head = await context.CallActivityAsync<EvidenceHead>(nameof(RecordProgress), progress);
                    break;
                }
                catch (TaskFailedException) when (attempt < CheckpointAttempts)
                {
                    await context.CreateTimer(delay, CancellationToken.None);
                    delay *= 2;
                }
            }

            record = record with { Evidence = head };
        }
    }
}

/// <summary>A change's final state could not be written even after the durable retries: the janitor finishes it.</summary>
public sealed class ChangeNotFinalizedException(string message, Exception? inner) : Exception(message, inner);
