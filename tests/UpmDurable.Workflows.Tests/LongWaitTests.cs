using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Windows;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// Waits of days, run by the real <see cref="ChangeOrchestrator"/> on a virtual clock: the durations are the real ones
/// (20 days, 9 days), only the clock is not (a timer fires when created and moves the clock to its fire time). What the
/// Azure Storage backend does with a six-day timer is not exercised here: its limit is why the waits are chained.
/// </summary>
public sealed class LongWaitTests
{
    static readonly TimeSpan Day = TimeSpan.FromDays(1);

    const string Request = """
        {"request": "Create resource group rg-long", "tenant": "acme",
         "target": {"resources": [{"type": "az_resource_group", "name": "rg-long", "location": "eastus"},
                                  {"type": "az_storage_account", "name": "stlong01", "resource_group": "rg-long", "location": "eastus"}]},
         "approvals": {"groups": ["platform-owners"], "required": 1, "timeout": "P20D"}
        """;

    [Fact]
    public async Task A_20_day_approval_timeout_is_four_chained_timers_of_6_6_6_and_2_days_and_the_change_expires()
    {
        var run = new ChangeRun(Request + "}", ChangeRun.OneApprover);

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Expired, outcome.Status);
        Assert.Equal("no decision within P20D", outcome.Reason);
        Assert.Equal([6 * Day, 6 * Day, 6 * Day, 2 * Day], run.Context.Timers.Select(t => t.Delay));
        Assert.All(run.Context.Timers, t => Assert.True(t.Delay <= Durable.MaxTimer));
        Assert.Equal(ChangeRun.Start + 20 * Day, run.Context.CurrentUtcDateTime);
        Assert.Equal(new DateTimeOffset(ChangeRun.Start + 20 * Day, TimeSpan.Zero), run.Record.Approvals.Deadline);
        Assert.Equal(("expired", ChangeStatuses.Expired, "no decision within P20D"), (run.Record.Approvals.Outcome, run.Record.Status, run.Record.Reason));
        Assert.DoesNotContain(run.Context.Calls, c => c.Name is nameof(ApplyStep) or nameof(AcquireResourceLocks));
    }

    [Fact]
    public async Task An_approval_on_day_13_ends_the_chain_in_its_third_timer_and_the_change_completes()
    {
        var run = new ChangeRun(Request + "}", ChangeRun.OneApprover);
        DateTime day13 = ChangeRun.Start + 13 * Day;
        run.Context.RaiseAt(day13, ChangeOrchestrator.ApprovalEvent, new ApprovalDecision
        {
            Approver = "bob",
            Decision = "approve",
            PlanHash = PlanCompiler.Compile(run.Spec).PlanHash,
            Channel = "api",
            Groups = ["platform-owners"],
            At = day13,
        });

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Completed, outcome.Status);
        Assert.Equal([6 * Day, 6 * Day, 6 * Day], run.Context.Timers.Select(t => t.Delay));
        Assert.Equal("approved", run.Record.Approvals.Outcome);
        Assert.All(run.Context.Calls.Where(c => c.Name == nameof(ApplyStep)), c => Assert.Equal(day13, c.At));
    }

    [Fact]
    public async Task A_window_closed_for_nine_days_waits_six_then_three_days_then_runs_and_completes()
    {
        DateTimeOffset opens = ChangeRun.Start + 9 * Day;
        var freeze = new ChangeWindowCalendar("release-freeze", TimeZoneInfo.Utc, [], [new FreezePeriod("year-end", ChangeRun.Start - Day, opens)]);
        var run = new ChangeRun(Request + """, "window": {"calendar": "release-freeze", "wait": true}}""", ChangeRun.AutoApproved).WithCalendar(freeze);

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Completed, outcome.Status);
        Assert.Equal([6 * Day, 3 * Day], run.Context.Timers.Select(t => t.Delay));
        Assert.Equal(opens.UtcDateTime, run.Context.CurrentUtcDateTime);
        var checks = run.Context.Calls.Where(c => c.Name == nameof(CheckChangeWindow)).Select(c => c.At).ToList();
        Assert.Equal([ChangeRun.Start, ChangeRun.Start + 9 * Day, ChangeRun.Start + 9 * Day], checks);
        var applies = run.Context.Calls.Where(c => c.Name == nameof(ApplyStep)).ToList();
        Assert.Equal(2, applies.Count);
        Assert.All(applies, a => Assert.Equal(opens.UtcDateTime, a.At));
        Assert.Equal(["window_wait", "window_open"], run.Checkpoints.Select(c => c.Kind).Where(k => k.StartsWith("window", StringComparison.Ordinal)));
        Assert.Equal(2, run.Record.Execution.Steps.Count(s => s.Outcome == "created"));
    }

    [Fact]
    public async Task A_closed_window_with_wait_false_fails_without_a_timer()
    {
        var freeze = new ChangeWindowCalendar("release-freeze", TimeZoneInfo.Utc, [], [new FreezePeriod("year-end", ChangeRun.Start - Day, ChangeRun.Start + 9 * Day)]);
        var run = new ChangeRun(Request + """, "window": {"calendar": "release-freeze", "wait": false}}""", ChangeRun.AutoApproved).WithCalendar(freeze);

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Failed, outcome.Status);
        Assert.StartsWith("outside change window 'release-freeze'", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(run.Context.Timers);
    }
}
