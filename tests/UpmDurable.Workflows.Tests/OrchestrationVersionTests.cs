using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The orchestration version as the orchestrators see it (<c>context.Version</c>): a change records the version it runs at
/// on every checkpoint (record and evidence); a drift monitor continues at the version of the worker that runs it.
/// </summary>
public sealed class OrchestrationVersionTests
{
    [Fact]
    public async Task Every_checkpoint_of_a_change_records_the_version_its_orchestration_started_at()
    {
        var run = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        run.Context.OrchestrationVersion = "1.0.0";

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Completed, outcome.Status);
        Assert.True(run.Checkpoints.Count >= 3);
        Assert.All(run.Checkpoints, c => Assert.Equal("1.0.0", c.Record!.OrchestrationVersion));
    }

    [Fact]
    public async Task A_change_started_before_versioning_records_no_version()
    {
        var run = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        run.Context.OrchestrationVersion = string.Empty;

        ChangeOutcome outcome = await run.RunAsync();

        Assert.Equal(ChangeStatuses.Completed, outcome.Status);
        Assert.All(run.Checkpoints, c => Assert.Null(c.Record!.OrchestrationVersion));
    }

    [Fact]
    public async Task A_drift_monitor_of_version_1_continues_as_new_at_the_workers_version_2()
    {
        var context = new VirtualClockContext(ChangeRun.Start) { OrchestrationVersion = "1.0.0" };
        context.On<DriftMonitorInput>(nameof(CheckDrift), i => new DriftReport { ChangeId = i.ChangeId, Tenant = i.Tenant, Status = DriftStatuses.InSync, Mode = i.Mode, Interval = i.Interval });
        var input = new DriftMonitorInput("acme", "chg-1", "alert", "PT5M", Iteration: 3);

        DriftReport? result = await new DriftMonitorOrchestrator(WorkflowVersion.Parse("2.0.0")).RunAsync(context, input);

        Assert.Null(result);
        Assert.NotNull(context.ContinuedAsNew);
        Assert.Equal("2.0.0", context.ContinuedAsNew.NewVersion);
        Assert.False(context.ContinuedAsNew.PreserveUnprocessedEvents);
        var next = Assert.IsType<DriftMonitorInput>(context.ContinuedAsNew.NewInput);
        Assert.Equal((4, DriftStatuses.InSync), (next.Iteration, next.LastStatus));
    }

    const string ChangeRequest = """
        {"request": "Create resource group rg-version", "tenant": "acme",
         "target": {"resources": [{"type": "az_resource_group", "name": "rg-version", "location": "eastus"}]}}
        """;

    [Fact]
    public async Task A_change_started_before_rate_limits_keeps_its_old_path_and_asks_no_limiter()
    {
        var old = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        old.Context.OrchestrationVersion = "1.0.0";
        var current = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);

        Assert.Equal(ChangeStatuses.Completed, (await old.RunAsync()).Status);
        Assert.Equal(ChangeStatuses.Completed, (await current.RunAsync()).Status);

        Assert.DoesNotContain(old.Context.Calls, c => c.Name == nameof(Activities.LookUpRateLimit));
        Assert.Contains(current.Context.Calls, c => c.Name == nameof(Activities.LookUpRateLimit));
    }

    [Fact]
    public async Task A_1_2_change_takes_the_plan_compiled_at_submit_and_schedules_no_CompilePlan()
    {
        var run = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        run.Context.OrchestrationVersion = OrchestrationPaths.PlanTravels;
        Plan submitted = PlanCompiler.Compile(run.Spec);

        Assert.Equal(ChangeStatuses.Completed, (await run.RunAsync(submitted)).Status);

        Assert.DoesNotContain(run.Context.Calls, c => c.Name == nameof(CompilePlan));
        Assert.Same(submitted, run.Checkpoints[0].Record!.Plan);
        Assert.Equal(submitted.PlanHash, run.Record.Plan!.PlanHash);
    }

    [Fact]
    public async Task A_1_1_change_compiles_its_plan_in_the_CompilePlan_activity_even_when_a_plan_travels()
    {
        var run = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        run.Context.OrchestrationVersion = OrchestrationPaths.RateLimits;

        Assert.Equal(ChangeStatuses.Completed, (await run.RunAsync(PlanCompiler.Compile(run.Spec))).Status);

        Assert.Single(run.Context.Calls, c => c.Name == nameof(CompilePlan));
    }

    [Fact]
    public async Task A_1_2_change_started_without_a_plan_compiles_it_in_the_activity()
    {
        var run = new ChangeRun(ChangeRequest, ChangeRun.AutoApproved);
        run.Context.OrchestrationVersion = OrchestrationPaths.PlanTravels;

        Assert.Equal(ChangeStatuses.Completed, (await run.RunAsync()).Status);

        Assert.Single(run.Context.Calls, c => c.Name == nameof(CompilePlan));
    }
}
