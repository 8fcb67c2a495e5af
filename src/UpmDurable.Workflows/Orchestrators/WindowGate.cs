using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The change window, checked before every wave: while it is closed the change waits on durable timers (visible as
/// <c>waiting_for_window</c>), unless the request says not to wait.
/// </summary>
public sealed class WindowGate(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal)
{
    /// <summary>Null when the window is open (or the change names none); else why the change may not run.</summary>
    public async Task<string?> WaitUntilOpenAsync()
    {
        if (input.Spec.WindowCalendar is not { } calendar)
        {
            return null;
        }

        for (int attempt = 0; attempt < 100; attempt++)
        {
            WindowStatus window = await context.CallActivityAsync<WindowStatus>(
                nameof(CheckChangeWindow), new WindowCheck(calendar, context.CurrentUtcDateTime, input.Tenant, input.ChangeId), Durable.Retry);
            if (window.Open)
            {
                if (journal.Record.Status == ChangeStatuses.WaitingForWindow)
                {
                    journal.Record = journal.Record with { Status = ChangeStatuses.Running };
                    journal.Trace($"change window '{calendar}' open: {window.Reason}");
                    await journal.CheckpointAsync(EvidenceKinds.WindowOpen, window);
                }

                return null;
            }

            if (!input.Spec.WindowWait || window.NextOpen is null)
            {
                string closed = $"outside change window '{calendar}': {window.Reason}" + (input.Spec.WindowWait ? " and it does not open again" : " (window.wait=false)");
                journal.Trace(closed);
                return closed;
            }

            journal.Record = journal.Record with { Status = ChangeStatuses.WaitingForWindow };
            journal.Trace($"change window '{calendar}' closed ({window.Reason}); waiting until {window.NextOpen:O}");
            await journal.CheckpointAsync(EvidenceKinds.WindowWait, window);
            await Durable.SleepUntilAsync(context, window.NextOpen.Value.UtcDateTime);
        }

        return $"outside change window '{calendar}': gave up after 100 waits";
    }
}
