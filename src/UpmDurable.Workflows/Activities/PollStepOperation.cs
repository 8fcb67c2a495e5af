using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Reads a pending step's long-running operation once (one ARM request): the final record, or the pending one to wait on
/// again. Read-only at the target, so a retried or replayed poll changes nothing.
/// </summary>
public sealed class PollStepOperation(ProviderRegistry providers) : TaskActivity<StepPoll, StepRecord>
{
    public override async Task<StepRecord> RunAsync(TaskActivityContext context, StepPoll input)
    {
        StepRequest request = input.Request;
        using Activity? span = UpmTelemetry.Start("upm.poll_step", request.ChangeId, request.Tenant, input.Pending.Pending?.Method == "DELETE" ? Phases.Audit : Phases.Execute);
        span?.SetTag(UpmTelemetry.Attributes.StepId, request.Step.Id);
        span?.SetTag(UpmTelemetry.Attributes.Provider, request.Provider);
        IChangeProvider provider = providers.Get(request.Provider);
        if (provider is not ILongRunningProvider longRunning)
        {
            throw new StepFailedException(request.Step.Id, 2, $"provider '{request.Provider}' has no long-running operations to poll");
        }

        // A simulated step is labelled and outputs are redacted here, before they become the activity's result in the task hub's history.
        using CancellationTokenSource budget = ActivityBudget.Start();
        StepRecord record = SecretScreen.Redact(SimulatedRuns.Mark(request.Provider, await longRunning.PollAsync(request, input.Pending, budget.Token))) with { BeforeImageSha256 = input.Pending.BeforeImageSha256 };
        span?.SetTag(UpmTelemetry.Attributes.Outcome, record.Outcome);
        return record;
    }
}
