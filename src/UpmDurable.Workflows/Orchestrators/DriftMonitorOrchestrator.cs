using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The drift monitor of one completed change: a durable timer at the drift interval, a drift check, an alarm on drift and,
/// in <c>remediate</c> mode, a remediation change run as a sub-orchestration; then <c>ContinueAsNew</c>, so history
/// never grows. It ends when the check says the change was rolled back, turned off or superseded. Each generation after
/// <c>ContinueAsNew</c> runs at the version of the worker that continued it (<c>version</c>): a monitor moves to
/// a new build at its next interval.
/// </summary>
public sealed class DriftMonitorOrchestrator(WorkflowVersion version) : TaskOrchestrator<DriftMonitorInput, DriftReport?>
{
    static readonly TaskOptions Retry = Durable.Retry;

    public override async Task<DriftReport?> RunAsync(TaskOrchestrationContext context, DriftMonitorInput input)
    {
        ILogger logger = context.CreateReplaySafeLogger<DriftMonitorOrchestrator>();
        await Durable.SleepUntilAsync(context, context.CurrentUtcDateTime + ChangeRequestValidator.ParseDuration(input.Interval));

        DriftMonitorInput next = input with { Iteration = input.Iteration + 1 };
        DriftReport report = await context.CallActivityAsync<DriftReport>(nameof(CheckDrift), next, Retry);
        if (report.Status == DriftStatuses.Stopped)
        {
            logger.LogInformation("Drift monitor of change {ChangeId} stopped: {Reason}", input.ChangeId, report.Reason);
            return report;
        }

        if (report.Status == DriftStatuses.Drifted)
        {
            if (input.LastStatus != DriftStatuses.Drifted)
            {
                await NotifyAsync(context, input, "drift_detected", $"{report.Diff.Count} difference(s) from the intended state, first {report.Diff[0].Resource}.{report.Diff[0].Field}: intended {report.Diff[0].Intended ?? "(none)"}, actual {report.Diff[0].Actual ?? "(none)"}");
            }

            // One remediation per drift episode: when it did not fix the drift, an operator decides (no remediation loop).
            bool remediationFailed = input.LastStatus == DriftStatuses.Drifted && input.RemediationStatus is not null and not ChangeStatuses.Completed;
            if (input.Mode == "remediate" && !remediationFailed)
            {
                next = await RemediateAsync(context, next, report);
                report = await context.CallActivityAsync<DriftReport>(nameof(CheckDrift), next, Retry);
            }
        }

        context.ContinueAsNew(new ContinueAsNewOptions
        {
            NewInput = next with { LastStatus = report.Status },
            PreserveUnprocessedEvents = false,
            NewVersion = version.Current,
        });
        return null;
    }

    static async Task<DriftMonitorInput> RemediateAsync(TaskOrchestrationContext context, DriftMonitorInput input, DriftReport report)
    {
        // A change id like any other (the API finds it), deterministic on replay.
        string remediationId = "chg-" + context.NewGuid().ToString("N");
        var drifted = report.Diff.Select(d => d.Resource).Distinct(StringComparer.Ordinal).ToList();
        ChangeInput change = await context.CallActivityAsync<ChangeInput>(
            nameof(StartRemediation), new RemediationRequest(input.Tenant, input.ChangeId, remediationId, drifted), Retry);
        await NotifyAsync(context, input, "remediation_started", $"remediation change {remediationId} re-applies {string.Join(", ", drifted)}");
        string status;
        try
        {
            ChangeOutcome outcome = await context.CallSubOrchestratorAsync<ChangeOutcome>(nameof(ChangeOrchestrator), change, new SubOrchestrationOptions { InstanceId = remediationId });
            status = outcome.Status;
        }
        catch (TaskFailedException ex)
        {
            status = ChangeStatuses.Failed;
            context.CreateReplaySafeLogger<DriftMonitorOrchestrator>().LogError("Remediation {RemediationId} of change {ChangeId} failed: {Error}", remediationId, input.ChangeId, ex.FailureDetails.ErrorMessage);
        }

        return input with { RemediationChangeId = remediationId, RemediationStatus = status };
    }

    static async Task NotifyAsync(TaskOrchestrationContext context, DriftMonitorInput input, string @event, string message)
    {
        try
        {
            await context.CallActivityAsync<string>(nameof(NotifyChange), new ChangeNotice(input.ChangeId, input.Tenant, @event, message, context.CurrentUtcDateTime), Retry);
        }
        catch (TaskFailedException)
        {
            // An alarm that cannot be delivered is still on the drift report and in the log.
        }
    }
}
