using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Operator commands (pause, resume, abort) as they arrive on the <see cref="ChangeOrchestrator.OperatorEvent"/>: one
/// outstanding wait, each command recorded on the change, a pending pause applied before the next wave, and the change
/// held paused (by an operator, or by itself after a failed health gate or verification) until resume or abort.
/// </summary>
public sealed class OperatorChannel(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal)
{
    // The one outstanding wait for operator commands; a new one is started once a command is taken.
    Task<OperatorCommand>? operatorCommand;
    bool pausePending;

    /// <summary>Who aborted the change and why, once an operator did.</summary>
    public string? AbortedBy { get; private set; }

    /// <summary>The outstanding wait for the next command (started on first use).</summary>
    public Task<OperatorCommand> NextCommand => operatorCommand ??= context.WaitForExternalEvent<OperatorCommand>(ChangeOrchestrator.OperatorEvent);

    /// <summary>Whether <paramref name="task"/> is the outstanding command wait (it won a race).</summary>
    public bool IsCommand(Task task) => task == operatorCommand;

    /// <summary>Takes a command that has arrived (deterministic: completion comes from history), records it, and renews the wait.</summary>
    public OperatorCommand? Take()
    {
        if (operatorCommand is not { IsCompleted: true } done)
        {
            return null;
        }

        OperatorCommand command = done.Result;
        operatorCommand = null;
        journal.Record = journal.Record with { OperatorCommands = [.. journal.Record.OperatorCommands, command] };
        journal.Trace($"operator {command.Action} by {command.By}{(command.Reason is null ? string.Empty : ": " + command.Reason)}");
        if (command.Action == OperatorActions.Abort)
        {
            AbortedBy = $"aborted by {command.By}{(command.Reason is null ? string.Empty : ": " + command.Reason)}";
        }
        else if (command.Action == OperatorActions.Pause)
        {
            pausePending = true;
        }

        return command;
    }

    /// <summary>A command taken while waiting for approvals: resume clears a pending pause (abort is read from <see cref="AbortedBy"/>).</summary>
    public void TakeWhileWaiting()
    {
        if (Take() is { Action: OperatorActions.Resume })
        {
            pausePending = false;
        }
    }

    /// <summary>Between waves: applies a pending pause (waits for resume or abort) and tells whether to go on.</summary>
    public async Task<bool> AllowsNextWaveAsync()
    {
        _ = NextCommand;
        Take();
        if (pausePending && AbortedBy is null)
        {
            await StayPausedAsync(journal.Record.OperatorCommands[^1]);
        }

        return AbortedBy is null;
    }

    /// <summary>Self-pause (health gate, failed verification): recorded with the reason, notified, held until resume or abort.</summary>
    public async Task PauseForOperatorAsync(string reason)
    {
        _ = NextCommand;
        Take();
        if (AbortedBy is not null)
        {
            return;
        }

        journal.Record = journal.Record with { Reason = reason };
        journal.Trace($"change paused: {reason}; waiting for an operator to resume or abort");
        try
        {
            await context.CallActivityAsync<string>(nameof(NotifyChange), new ChangeNotice(input.ChangeId, input.Tenant, "change_paused", reason, context.CurrentUtcDateTime), Durable.Retry);
        }
        catch (TaskFailedException ex)
        {
            journal.Trace($"pause notification failed: {ex.FailureDetails.ErrorMessage}");
        }

        await StayPausedAsync(new { reason });
        journal.Record = journal.Record with { Reason = null };
    }

    // Holds the change paused until an operator resumes or aborts it.
    async Task StayPausedAsync(object cause)
    {
        pausePending = true;
        journal.Record = journal.Record with { Status = ChangeStatuses.Paused };
        await journal.CheckpointAsync(EvidenceKinds.Paused, cause);
        for (int waits = 0; pausePending && AbortedBy is null && waits < 1000; waits++)
        {
            await NextCommand;
            if (Take() is { Action: OperatorActions.Resume })
            {
                pausePending = false;
                journal.Record = journal.Record with { Status = ChangeStatuses.Running };
                await journal.CheckpointAsync(EvidenceKinds.Resumed, journal.Record.OperatorCommands[^1]);
            }
        }
    }
}
