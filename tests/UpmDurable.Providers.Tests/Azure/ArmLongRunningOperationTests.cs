using System.Text.Json.Nodes;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers.Azure;
using Xunit;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>
/// Long-running ARM operations on ARM's recorded shapes: apply and compensate start them and answer <c>pending</c> at
/// once (the status URL and Retry-After of ARM's first answer); each poll reads the status once and never waits.
/// The orchestration's side (durable timers, the bound) is tested in UpmDurable.Workflows.Tests (DurableStepTests).
/// </summary>
[Trait("Category", "Contract")]
public sealed class ArmLongRunningOperationTests
{
    const string StorageJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}, {"type": "az_storage_account", "name": "stdemo01", "resource_group": "rg-demo", "location": "eastus"}]""";

    readonly ArmHarness h = new();

    StepRequest Storage(string changeId = "chg-1") => ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", changeId);

    [Fact]
    public async Task A_202_with_Azure_AsyncOperation_answers_pending_at_once_and_polls_InProgress_then_Succeeded()
    {
        h.Arm.PollsInProgress = 1;
        StepRequest step = Storage();
        string path = ArmHarness.StorageId("rg-demo", "stdemo01");

        StepRecord started = await h.Provider.ApplyAsync(step, default);

        Assert.Equal("pending", started.Outcome);
        PendingOperation operation = Assert.IsType<PendingOperation>(started.Pending);
        Assert.Equal(PendingOperationKinds.AsyncOperation, operation.Kind);
        Assert.StartsWith("https://management.azure.com/subscriptions/", operation.StatusUrl, StringComparison.Ordinal);
        Assert.Contains("/providers/Microsoft.Storage/locations/eastus/operationStatuses/", operation.StatusUrl, StringComparison.Ordinal);
        Assert.Equal(("PUT", path, "created", "Accepted", 3), (operation.Method, operation.ResourceId, operation.Outcome, operation.Status, operation.PollAfterSeconds));
        Assert.Equal((int)h.Options.OperationTimeout.TotalSeconds, operation.WaitLimitSeconds);
        Assert.Equal([$"GET {path}?api-version=2023-05-01", $"PUT {path}?api-version=2023-05-01"], h.Arm.Calls.Select(c => c.ToString()));

        StepRecord running = await h.Provider.PollAsync(step, started, default);

        Assert.Equal("pending", running.Outcome);
        Assert.Equal(("InProgress", 2), (running.Pending!.Status, running.Pending.PollAfterSeconds));
        Assert.Equal(operation.StatusUrl, running.Pending.StatusUrl);

        StepRecord done = await h.Provider.PollAsync(step, running, default);

        Assert.Null(done.Pending);
        Assert.Equal("created", done.Outcome);
        Assert.Equal(started.StartedAt, done.StartedAt);
        Assert.Equal($"PUT {path}?api-version=2023-05-01", done.Cmd);
        Assert.Contains("\"provisioningState\":\"Succeeded\"", done.Stdout, StringComparison.Ordinal);
        Assert.Equal(["PUT", "GET operationStatuses", "GET operationStatuses", "GET resource"], h.Arm.Calls.Skip(1).Select(Describe));
        Assert.All(h.Arm.Calls, c => Assert.Equal($"Bearer {FakeTokenCredential.Token}", c.Authorization));
        Assert.Empty(h.Time.Waits);
    }

    [Fact]
    public async Task An_operation_ARM_reports_Failed_fails_the_step_with_ARMs_error_code_and_message()
    {
        h.Arm.PollsInProgress = 0;
        h.Arm.PutError = ("QuotaExceeded", "Operation could not be completed as it results in exceeding approved StorageAccounts quota.");
        StepRequest step = Storage();
        StepRecord started = await h.Provider.ApplyAsync(step, default);

        var failure = await Assert.ThrowsAsync<StepFailedException>(() => h.Provider.PollAsync(step, started, default));

        Assert.Equal("az_storage_account/stdemo01", failure.StepId);
        Assert.Contains($"ARM PUT {ArmHarness.StorageId("rg-demo", "stdemo01")} ended Failed: QuotaExceeded: Operation could not be completed as it results in exceeding approved StorageAccounts quota.", failure.Message, StringComparison.Ordinal);
        Assert.Contains(h.Logger.Lines, l => l.Contains("ended Failed (QuotaExceeded)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deletion_whose_Location_poll_answers_ARMs_error_fails_the_compensation_with_it()
    {
        h.Arm.PollsInProgress = 0;
        StepRequest step = Storage();
        await h.ApplyAsync(step);
        h.Arm.DeleteError = ("ScopeLocked", "The scope cannot perform delete operation because following scope(s) are locked.");

        StepRecord started = await h.Provider.CompensateAsync(step, default);
        Assert.Equal((PendingOperationKinds.Location, "DELETE", "deleted"), (started.Pending!.Kind, started.Pending.Method, started.Pending.Outcome));
        var failure = await Assert.ThrowsAsync<StepFailedException>(() => h.Provider.PollAsync(step, started, default));

        Assert.Equal(400, failure.Rc);
        Assert.Contains("ScopeLocked", failure.Message, StringComparison.Ordinal);
        Assert.Contains("following scope(s) are locked", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_apply_retried_while_ARM_still_provisions_it_sends_no_second_PUT_and_polls_the_resource()
    {
        h.Arm.PollsInProgress = 5;
        StepRequest step = Storage();
        await h.Provider.ApplyAsync(step, default);

        // The first attempt's answer was lost (the host died): the activity runs again while ARM is still creating.
        StepRecord again = await h.Provider.ApplyAsync(step, default);

        Assert.Single(h.Arm.CallsTo("PUT", "storageAccounts"));
        Assert.Equal((PendingOperationKinds.Resource, "Creating", "created"), (again.Pending!.Kind, again.Pending.Status, again.Pending.Outcome));
        Assert.EndsWith($"{ArmHarness.StorageId("rg-demo", "stdemo01")}?api-version=2023-05-01", again.Pending.StatusUrl, StringComparison.Ordinal);
        Assert.Equal("pending", (await h.Provider.PollAsync(step, again, default)).Outcome);
        ((JsonObject)h.Arm.Resource(ArmHarness.StorageId("rg-demo", "stdemo01"))!["properties"]!)["provisioningState"] = "Succeeded";
        Assert.Equal("created", (await h.Provider.PollAsync(step, again, default)).Outcome);
    }

    [Fact]
    public async Task A_status_URL_off_the_ARM_endpoint_is_refused_and_never_sent_the_token()
    {
        StepRequest step = Storage();
        foreach (string url in new[] { "https://attacker.example/op?x=1", "http://management.azure.com/subscriptions/x", "https://user@management.azure.com/subscriptions/x", "https://management.azure.com.attacker.example/x", "not a url" })
        {
            StepRecord forged = StepRecords.Done(step.Step, DateTimeOffset.UtcNow, "PUT x", "pending", "forged") with
            {
                Pending = new PendingOperation { StatusUrl = url, Kind = PendingOperationKinds.AsyncOperation, Method = "PUT", ResourceId = ArmHarness.StorageId("rg-demo", "stdemo01"), Outcome = "created" },
            };

            var failure = await Assert.ThrowsAsync<StepFailedException>(() => h.Provider.PollAsync(step, forged, default));

            Assert.Contains("not on the ARM endpoint management.azure.com", failure.Message, StringComparison.Ordinal);
        }

        Assert.Empty(h.Arm.Calls);
        Assert.Empty(h.Credential.Scopes);
    }

    [Fact]
    public async Task A_resource_group_create_answered_201_is_final_at_once()
    {
        StepRecord record = await h.Provider.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf("""[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}]"""), "az_resource_group/rg-demo", "chg-1"), default);

        Assert.Equal("created", record.Outcome);
        Assert.Null(record.Pending);
    }

    static string Describe(FakeArm.Call call) =>
        call.Path.Contains("operationStatuses", StringComparison.Ordinal) ? "GET operationStatuses"
        : call.Method == "GET" ? "GET resource"
        : call.Method;
}
