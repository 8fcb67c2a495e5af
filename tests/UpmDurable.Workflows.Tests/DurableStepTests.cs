using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Providers.Tests.Azure;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The orchestration's side of long-running operations on ARM's recorded shapes (<see cref="FakeArm"/>): the real
/// <see cref="ApplyStep"/>, <see cref="PollStepOperation"/> and <see cref="CompensateStep"/> activities over the azure
/// provider, driven by <see cref="DurableStep"/> on a virtual clock, so a two-hour bound takes milliseconds.
/// </summary>
[Trait("Category", "Contract")]
public sealed class DurableStepTests
{
    const string StorageJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}, {"type": "az_storage_account", "name": "stdemo01", "resource_group": "rg-demo", "location": "eastus"}]""";

    readonly ArmHarness h = new();
    readonly InMemoryBeforeImages images = new();

    StepRequest Storage => ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-1");

    VirtualClockContext OnArm(VirtualClockContext? context = null)
    {
        var providers = new ProviderRegistry([h.Provider]);
        return (context ?? new VirtualClockContext(ChangeRun.Start))
            .On<StepRequest>(nameof(ApplyStep), async r => (object?)await new ApplyStep(providers, new BeforeImageCapture(images, TimeProvider.System)).RunAsync(null!, r))
            .On<StepRequest>(nameof(CompensateStep), async r => (object?)await new CompensateStep(providers, new StepRestore(images)).RunAsync(null!, r))
            .On<StepPoll>(nameof(PollStepOperation), async p => (object?)await new PollStepOperation(providers).RunAsync(null!, p));
    }

    [Fact]
    public async Task A_final_answer_is_one_activity_call_and_no_timer()
    {
        var context = new VirtualClockContext(ChangeRun.Start)
            .On<StepRequest>(nameof(ApplyStep), r => StepRecords.Done(r.Step, ChangeRun.Start, r.Step.Command, "created", "sandbox"));

        StepRecord record = await DurableStep.RunAsync(context, nameof(ApplyStep), Storage, null);

        Assert.Equal("created", record.Outcome);
        Assert.Equal([nameof(ApplyStep)], context.Calls.Select(c => c.Name));
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task A_202_with_Azure_AsyncOperation_is_polled_on_durable_timers_as_Retry_After_says_until_Succeeded()
    {
        h.Arm.PollsInProgress = 1;
        VirtualClockContext context = OnArm();

        StepRecord record = await DurableStep.RunAsync(context, nameof(ApplyStep), Storage, null);

        Assert.Equal("created", record.Outcome);
        Assert.Null(record.Pending);
        Assert.Equal([nameof(ApplyStep), nameof(PollStepOperation), nameof(PollStepOperation)], context.Calls.Select(c => c.Name));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)], context.Timers.Select(t => t.Delay));
        Assert.Empty(h.Time.Waits);
    }

    [Fact]
    public async Task An_operation_ARM_reports_Failed_fails_the_step_with_ARMs_error_message()
    {
        h.Arm.PollsInProgress = 2;
        h.Arm.PutError = ("QuotaExceeded", "Operation could not be completed as it results in exceeding approved StorageAccounts quota.");
        VirtualClockContext context = OnArm();

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => DurableStep.RunAsync(context, nameof(ApplyStep), Storage, null));

        Assert.Equal(typeof(StepFailedException).FullName, failure.FailureDetails.ErrorType);
        Assert.Contains("ended Failed: QuotaExceeded: Operation could not be completed as it results in exceeding approved StorageAccounts quota.", failure.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, context.Timers.Count);
    }

    [Fact]
    public async Task An_operation_still_running_past_the_bound_fails_the_step_with_the_reason_after_a_bounded_number_of_polls()
    {
        h.Arm.PollsInProgress = int.MaxValue;
        VirtualClockContext context = OnArm();

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => DurableStep.RunAsync(context, nameof(ApplyStep), Storage, null));

        Assert.Equal(h.Options.OperationTimeout, TimeSpan.FromHours(2));
        Assert.Equal(typeof(TimeoutException).FullName, failure.FailureDetails.ErrorType);
        Assert.StartsWith(
            $"az_storage_account/stdemo01: PUT {ArmHarness.StorageId("rg-demo", "stdemo01")} still InProgress at the target after 02:00:00; the wait for one operation is bounded to 02:00:00",
            failure.FailureDetails.ErrorMessage,
            StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(2), context.CurrentUtcDateTime - ChangeRun.Start);
        Assert.Equal(TimeSpan.FromHours(2), context.Timers.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Delay));

        // Retry-After first (3 s, then ARM's 2 s), then a tenth of the time waited, at most five minutes: 77 polls, not 3,600.
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)], context.Timers.Take(2).Select(t => t.Delay));
        Assert.All(context.Timers, t => Assert.InRange(t.Delay, DurableStep.MinPollDelay, DurableStep.MaxPollDelay));
        Assert.Equal(77, context.Calls.Count(c => c.Name == nameof(PollStepOperation)));
    }

    [Fact]
    public void Poll_delays_honour_Retry_After_within_bounds_and_never_pass_the_wait_bound()
    {
        PendingOperation asking(int seconds) => new() { StatusUrl = "https://management.azure.com/x", Kind = PendingOperationKinds.AsyncOperation, Method = "PUT", ResourceId = "/x", Outcome = "created", PollAfterSeconds = seconds };
        TimeSpan hour = TimeSpan.FromHours(1);

        Assert.Equal(TimeSpan.FromSeconds(15), DurableStep.NextPollDelay(asking(15), TimeSpan.Zero, hour));
        Assert.Equal(DurableStep.DefaultPollDelay, DurableStep.NextPollDelay(asking(0), TimeSpan.Zero, hour));
        Assert.Equal(DurableStep.MaxPollDelay, DurableStep.NextPollDelay(asking(3600), TimeSpan.Zero, hour));
        Assert.Equal(TimeSpan.FromSeconds(90), DurableStep.NextPollDelay(asking(15), TimeSpan.FromMinutes(15), hour));
        Assert.Equal(TimeSpan.FromSeconds(4), DurableStep.NextPollDelay(asking(15), TimeSpan.Zero, TimeSpan.FromSeconds(4)));
        Assert.Equal(DurableStep.MinPollDelay, DurableStep.NextPollDelay(asking(15), TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(DurableStep.DefaultWaitLimit, DurableStep.WaitLimit(asking(1)));
        Assert.Equal(DurableStep.MaxWaitLimit, DurableStep.WaitLimit(asking(1) with { WaitLimitSeconds = 7 * 86_400 }));
        Assert.Equal(TimeSpan.FromMinutes(10), DurableStep.WaitLimit(asking(1) with { WaitLimitSeconds = 600 }));
    }

    [Fact]
    public async Task An_azure_change_whose_create_ARM_reports_Failed_rolls_back_and_records_ARMs_error_as_the_steps_failure()
    {
        h.Arm.PollsInProgress = 0;
        h.Arm.PutError = ("QuotaExceeded", "Operation could not be completed as it results in exceeding approved StorageAccounts quota.");
        var run = new ChangeRun("""{"request": "Storage on ARM", "tenant": "acme", "target": {"provider": "azure", "resources": """ + StorageJson + "}}", ChangeRun.AutoApproved);
        OnArm(run.Context);

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.RolledBack, outcome.Status);
        Assert.Equal([("az_resource_group/rg-demo", "created"), ("az_storage_account/stdemo01", "failed")], run.Record.Execution.Steps.Select(s => (s.StepId, s.Outcome)));
        Assert.Contains("QuotaExceeded: Operation could not be completed", run.Record.Execution.Steps[1].Stderr, StringComparison.Ordinal);
        Assert.Equal([("az_storage_account/stdemo01", "deleted"), ("az_resource_group/rg-demo", "deleted")], run.Record.Rollback.Steps.Select(s => (s.StepId, s.Outcome)));
        Assert.All(run.Record.Execution.Steps.Concat(run.Record.Rollback.Steps), s => Assert.Null(s.Pending));
        Assert.Null(h.Arm.Resource(ArmHarness.GroupId("rg-demo")));

        // The create, the storage deletion and the group deletion each waited on durable timers (ARM said Retry-After: 3).
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], run.Context.Timers.Select(t => t.Delay));
    }
}
