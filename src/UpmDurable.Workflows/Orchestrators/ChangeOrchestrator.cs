using Microsoft.DurableTask;
using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// One change, five phases: plan, pre-flight and approvals, execute in waves, verify, audit and rollback. Each phase is a
/// small class (<see cref="ChangeSaga"/> wires them) that answers a <see cref="PhaseResult"/>: go on, finish, or roll
/// back. Deterministic: time, ids and timers come from the context; every side effect is an activity.
/// </summary>
public sealed class ChangeOrchestrator : TaskOrchestrator<ChangeInput, ChangeOutcome>
{
    /// <summary>The external event an approval decision arrives as.</summary>
    public const string ApprovalEvent = "ApprovalDecision";

    /// <summary>The external event an operator's pause, resume or abort arrives as.</summary>
    public const string OperatorEvent = "OperatorCommand";

    /// <summary>The external event an approval attempt refused at the door arrives as: recorded, never counted.</summary>
    public const string RefusedApprovalEvent = "ApprovalRefused";

    public override async Task<ChangeOutcome> RunAsync(TaskOrchestrationContext context, ChangeInput input)
    {
        var saga = new ChangeSaga(context, input);
        try
        {
            return await RunPhasesAsync(saga);
        }
        catch (Exception ex) when (Durable.IsFailure(ex))
        {
            // The failure boundary: whatever still fails after retries ends the change final, compensated, unlocked, recorded.
            return await saga.EndAfterFailureAsync(ex);
        }
    }

    static async Task<ChangeOutcome> RunPhasesAsync(ChangeSaga saga)
    {
        // 1. Plan.
        Plan plan = await saga.Plan.CompileAsync();

        // 2. Pre-flight and approvals; then the resource locks, taken all or nothing before the first step.
        PhaseResult next = await saga.Plan.PreflightAsync(plan);
        if (next.GoesOn)
        {
            next = await saga.Approvals.AwaitAsync(plan);
        }

        if (next.GoesOn && saga.Operators.AbortedBy is { } abortedBeforeStart)
        {
            next = PhaseResult.Finish(ChangeStatuses.Aborted, abortedBeforeStart);
        }

        if (next.GoesOn)
        {
            next = await saga.Locks.AcquireAsync(plan);
        }

        if (!next.GoesOn)
        {
            return await saga.EndAsync(next, []);
        }

        // 3. Execute in waves, with the window and health gates.
        ExecutionResult execution = await saga.Execution.RunAsync(plan);
        if (!execution.Next.GoesOn)
        {
            return await saga.EndAsync(execution.Next, execution.Applied);
        }

        // 4. Verify; 5. audit (and rollback when verification fails).
        return await saga.EndAsync(await saga.Verify.RunAsync(execution.Applied), execution.Applied);
    }
}
