using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Providers.Tests.Azure;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Workflows.RateLimits;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The orchestration's side of the per-provider rate limits on a virtual clock: permits asked for by a short activity,
/// waits on durable timers, the slot given back after the step (also a failed one), the wait in the step's record, and a
/// whole change under a low limit whose later steps record that they waited.
/// </summary>
public sealed class RateLimitedStepsTests
{
    const string FourResources = """
        {"request": "four groups", "tenant": "acme", "rollout": {"max_parallel": 4}, "target": {"provider": "sandbox", "resources": [
          {"type": "az_resource_group", "name": "rg-a", "location": "eastus"},
          {"type": "az_resource_group", "name": "rg-b", "location": "eastus"},
          {"type": "az_resource_group", "name": "rg-c", "location": "eastus"},
          {"type": "az_resource_group", "name": "rg-d", "location": "eastus"}]}}
        """;

    const string TwoGroups = """[{"type": "az_resource_group", "name": "s1", "location": "eastus"}, {"type": "az_resource_group", "name": "s2", "location": "eastus"}]""";

    static readonly RateLimitScope Scope = new("azure", "sub-1", new RateLimit { PerMinute = 20, InFlight = 8 });

    static StepRequest Request(string name = "s1") => ArmHarness.StepOf(ArmHarness.PlanOf(TwoGroups), "az_resource_group/" + name, "chg-1");

    static VirtualClockContext Context(RateLimitScope? scope, Queue<RatePermit> answers, List<string> released, bool stepFails = false) =>
        new VirtualClockContext(ChangeRun.Start)
            .On<RateLimitLookup>(nameof(LookUpRateLimit), _ => scope)
            .On<RatePermitRequest>(nameof(AcquireRatePermit), _ => answers.Dequeue())
            .On<RatePermitRequest>(nameof(ReleaseRatePermit), r =>
            {
                released.Add(r.Holder);
                return true;
            })
            .On<StepRequest>(nameof(ApplyStep), r => stepFails
                ? throw new StepFailedException(r.Step.Id, 1, "refused by the target")
                : StepRecords.Done(r.Step, ChangeRun.Start, r.Step.Command, "created", "ok"));

    [Fact]
    public async Task A_provider_without_a_limit_costs_one_lookup_per_change_and_no_permit_per_step()
    {
        var released = new List<string>();
        VirtualClockContext context = Context(null, new(), released);
        var steps = new RateLimitedSteps(context, "acme", "chg-1", "sandbox", null);

        StepRecord first = await steps.RunAsync(nameof(ApplyStep), Request("s1"));
        await steps.RunAsync(nameof(ApplyStep), Request("s2"));

        Assert.Null(first.RateLimited);
        Assert.Equal([nameof(LookUpRateLimit), nameof(ApplyStep), nameof(ApplyStep)], context.Calls.Select(c => c.Name));
        Assert.Empty(released);
    }

    [Fact]
    public async Task A_permit_granted_at_once_leaves_no_trace_in_the_record_and_the_slot_is_given_back_after_the_step()
    {
        var released = new List<string>();
        VirtualClockContext context = Context(Scope, new([RatePermit.Grant]), released);

        StepRecord record = await new RateLimitedSteps(context, "acme", "chg-1", "azure", null).RunAsync(nameof(ApplyStep), Request());

        Assert.Null(record.RateLimited);
        Assert.Equal([nameof(LookUpRateLimit), nameof(AcquireRatePermit), nameof(ApplyStep), nameof(ReleaseRatePermit)], context.Calls.Select(c => c.Name));
        Assert.Equal(["chg-1/az_resource_group/s1/ApplyStep"], released);
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task A_step_that_waited_records_how_long_and_how_many_requests_after_durable_timers_of_the_limiters_delay()
    {
        var released = new List<string>();
        VirtualClockContext context = Context(Scope, new([new RatePermit(false, 3_000, 1), new RatePermit(false, 2_500, 0), RatePermit.Grant]), released);

        StepRecord record = await new RateLimitedSteps(context, "acme", "chg-1", "azure", null).RunAsync(nameof(ApplyStep), Request());

        Assert.Equal(new RateLimitWait(5_500, 3), record.RateLimited);
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2.5)], context.Timers.Select(t => t.Delay));
        Assert.Equal([nameof(LookUpRateLimit), nameof(AcquireRatePermit), nameof(AcquireRatePermit), nameof(AcquireRatePermit), nameof(ApplyStep), nameof(ReleaseRatePermit)], context.Calls.Select(c => c.Name));
    }

    [Fact]
    public async Task A_failed_step_still_gives_its_slot_back()
    {
        var released = new List<string>();
        VirtualClockContext context = Context(Scope, new([RatePermit.Grant]), released, stepFails: true);

        await Assert.ThrowsAsync<TaskFailedException>(() => new RateLimitedSteps(context, "acme", "chg-1", "azure", null).RunAsync(nameof(ApplyStep), Request()));

        Assert.Equal(["chg-1/az_resource_group/s1/ApplyStep"], released);
    }

    [Fact]
    public async Task A_step_that_gets_no_permit_within_the_wait_limit_fails_without_running_and_leaves_the_line()
    {
        var released = new List<string>();
        var never = new Queue<RatePermit>(Enumerable.Repeat(new RatePermit(false, 30_000, 5), RateLimitedSteps.MaxAttempts));
        VirtualClockContext context = Context(Scope, never, released);

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => new RateLimitedSteps(context, "acme", "chg-1", "azure", null).RunAsync(nameof(ApplyStep), Request()));

        Assert.Contains("no permit from the azure rate limit (20/min, 8 in flight)", failure.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(context.Calls, c => c.Name == nameof(ApplyStep));
        Assert.Equal(["chg-1/az_resource_group/s1/ApplyStep"], released);
        Assert.True(context.CurrentUtcDateTime - ChangeRun.Start >= RateLimitedSteps.WaitLimit);
    }

    [Fact]
    public async Task A_change_under_a_low_limit_records_the_wait_on_the_steps_that_waited_for_it()
    {
        // 2 a minute: the bucket starts with two tokens, then one comes every 30 s.
        var run = new ChangeRun(FourResources, ChangeRun.AutoApproved).WithRateLimit(new RateLimit { PerMinute = 2 });

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Completed, outcome.Status);
        List<StepRecord> steps = run.Record.Execution.Steps;
        Assert.Equal(4, steps.Count);
        Assert.All(steps.Take(2), s => Assert.Null(s.RateLimited));
        Assert.All(steps.Skip(2), s => Assert.Equal(new RateLimitWait(30_000, 2), s.RateLimited));
        Assert.Equal(4, run.Permits.Count(p => p.StartsWith("release ", StringComparison.Ordinal)));

        string json = System.Text.Json.JsonSerializer.Serialize(steps[^1], Core.Json.UpmJson.Options);
        Assert.Contains("\"rate_limited\":{\"waited_ms\":30000,\"attempts\":2}", json, StringComparison.Ordinal);
    }
}
