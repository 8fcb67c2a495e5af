using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests.InProcess;

/// <summary>
/// Each branch of <see cref="ChangeOrchestrator"/>, run in process on the Durable Task test host with fake activities:
/// approvals (approve, reject, expire, a refused attempt), operator commands (pause, resume, abort), the health gate
/// (pause, roll back), verification (roll back, pause and verify again), a failing compensation, and an activity that
/// fails after its retries. Every run must end final with its locks released.
/// </summary>
public sealed class ChangeOrchestratorBranchTests(InProcessChangeHost host) : IClassFixture<InProcessChangeHost>
{
    // Two waves: the resource group, then the storage account in it.
    const string Request = """
        {"request": "Create rg-branch and a storage account", "tenant": "acme",
         "target": {"resources": [{"type": "az_resource_group", "name": "rg-branch", "location": "eastus"},
                                  {"type": "az_storage_account", "name": "stbranch01", "resource_group": "rg-branch", "location": "eastus"}]},
         "approvals": {"groups": ["platform-owners"], "required": 1, "timeout": "PT1H"}
        """;

    const string Rg = "az_resource_group/rg-branch";
    const string Storage = "az_storage_account/stbranch01";

    static ChangeSpec Spec(string extra = "") => ChangeRun.SpecFrom(Request + extra + "}");

    static ApprovalDecision Decision(ChangeSpec spec, string approver, string decision = "approve", string? planHash = null) => new()
    {
        Approver = approver,
        Decision = decision,
        PlanHash = planHash ?? PlanCompiler.Compile(spec).PlanHash,
        Channel = "api",
        Groups = ["platform-owners"],
        Comment = $"{decision} (test)",
        At = DateTimeOffset.UtcNow,
    };

    static OperatorCommand Command(string action) => new(action, "erin", $"{action} (test)", DateTimeOffset.UtcNow);

    static Task AwaitingApprovalAsync(FakeWorld world) =>
        InProcessChangeHost.UntilAsync(world, w => w.Kinds.Contains("approval_requested"), "approval requested");

    static Task PausedAsync(FakeWorld world, int times = 1) =>
        InProcessChangeHost.UntilAsync(world, w => w.Kinds.Count(k => k == "paused") >= times, "the change paused");

    static void AssertEndedFinal(FakeWorld world, string id, string status)
    {
        Assert.Equal(status, world.Record.Status);
        Assert.Equal("audit", world.Kinds[^1]);
        Assert.Contains(world.Released, r => r.ChangeId == id);
    }

    [Fact]
    public async Task An_approval_from_the_policy_group_runs_every_wave_verifies_and_completes()
    {
        var world = new FakeWorld(ChangeRun.OneApprover);
        ChangeSpec spec = Spec();
        string id = await host.StartAsync(world, spec);
        await AwaitingApprovalAsync(world);
        Assert.Equal(ChangeStatuses.AwaitingApproval, world.Record.Status);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);

        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "bob"));

        Assert.Equal(new ChangeOutcome(ChangeStatuses.Completed, null), await host.OutcomeAsync(id));
        Assert.Equal(["plan", "preflight", "approval_requested", "approval", "execute", "execute", "verify", "audit"], world.Kinds);
        Assert.Equal([Rg, Storage], world.Record.Execution.Steps.Select(s => s.StepId));
        Assert.Equal("approved", world.Record.Approvals.Outcome);
        Assert.Empty(world.Compensated);
        AssertEndedFinal(world, id, ChangeStatuses.Completed);
    }

    [Fact]
    public async Task A_rejection_ends_the_change_rejected_with_nothing_executed()
    {
        var world = new FakeWorld(ChangeRun.OneApprover) { DryRun = [new DryRunEntry(Rg, PlanActions.Update, "az group create", [new FieldChange("location", "westus", "eastus")])] };
        ChangeSpec spec = Spec();
        string id = await host.StartAsync(world, spec);
        await AwaitingApprovalAsync(world);

        // The field diff the approvers are asked about is in the evidence written before approval is requested.
        Assert.True(world.Kinds.IndexOf("preflight") < world.Kinds.IndexOf("approval_requested"));
        System.Text.Json.JsonElement change;
        lock (world.Checkpoints)
        {
            change = world.Checkpoints.Single(c => c.Kind == "preflight").Body.GetProperty("dry_run")[0].GetProperty("changes")[0].Clone();
        }

        Assert.Equal(("location", "westus", "eastus"), (change.GetProperty("field").GetString(), change.GetProperty("before").GetString(), change.GetProperty("after").GetString()));

        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "bob", "reject"));

        ChangeOutcome outcome = await host.OutcomeAsync(id);
        Assert.Equal(ChangeStatuses.Rejected, outcome.Status);
        Assert.Equal("rejected by bob: reject (test)", outcome.Reason);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);
        Assert.DoesNotContain(nameof(AcquireResourceLocks), world.Calls);
        Assert.Equal("audit", world.Kinds[^1]);
    }

    [Fact]
    public async Task No_decision_before_the_deadline_expires_the_change_on_its_durable_timer()
    {
        var world = new FakeWorld(ChangeRun.OneApprover);
        ChangeSpec spec = Spec() with { ApprovalTimeout = "PT2S" };
        string id = await host.StartAsync(world, spec);

        ChangeOutcome outcome = await host.OutcomeAsync(id);

        Assert.Equal(new ChangeOutcome(ChangeStatuses.Expired, "no decision within PT2S"), outcome);
        Assert.Equal("expired", world.Record.Approvals.Outcome);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);
    }

    [Fact]
    public async Task An_approval_by_the_initiator_or_for_another_plan_is_recorded_as_refused_and_never_counts()
    {
        var world = new FakeWorld(ChangeRun.OneApprover);
        ChangeSpec spec = Spec();
        string id = await host.StartAsync(world, spec);
        await AwaitingApprovalAsync(world);

        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "alice"));
        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "carol", planHash: "sha256:" + new string('0', 64)));
        await InProcessChangeHost.UntilAsync(world, w => w.Kinds.Count(k => k == "approval_refused") == 2, "two refused attempts recorded");
        Assert.Equal(ChangeStatuses.AwaitingApproval, world.Record.Status);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);

        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "bob"));

        Assert.Equal(ChangeStatuses.Completed, (await host.OutcomeAsync(id)).Status);
        ApprovalState approvals = world.Record.Approvals;
        Assert.Equal(["alice", "carol"], approvals.Refused.Select(r => r.Approver));
        Assert.All(approvals.Refused, r => Assert.False(string.IsNullOrEmpty(r.RefusedBecause)));
        Assert.Equal(["bob"], approvals.Decisions.Select(d => d.Approver));
    }

    [Fact]
    public async Task A_pause_sent_while_awaiting_approval_holds_the_change_before_its_first_wave_until_resume()
    {
        var world = new FakeWorld(ChangeRun.OneApprover);
        ChangeSpec spec = Spec();
        string id = await host.StartAsync(world, spec);
        await AwaitingApprovalAsync(world);

        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("pause"));
        await host.RaiseAsync(id, ChangeOrchestrator.ApprovalEvent, Decision(spec, "bob"));
        await PausedAsync(world);
        Assert.Equal(ChangeStatuses.Paused, world.Record.Status);
        await Task.Delay(300);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);

        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("resume"));

        Assert.Equal(ChangeStatuses.Completed, (await host.OutcomeAsync(id)).Status);
        Assert.Equal(["pause", "resume"], world.Record.OperatorCommands.Select(c => c.Action));
        Assert.Contains("resumed", world.Kinds);
        AssertEndedFinal(world, id, ChangeStatuses.Completed);
    }

    [Fact]
    public async Task An_abort_while_awaiting_approval_ends_the_change_aborted_with_nothing_executed()
    {
        var world = new FakeWorld(ChangeRun.OneApprover);
        string id = await host.StartAsync(world, Spec());
        await AwaitingApprovalAsync(world);

        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("abort"));

        ChangeOutcome outcome = await host.OutcomeAsync(id);
        Assert.Equal(ChangeStatuses.Aborted, outcome.Status);
        Assert.Equal("aborted by erin: abort (test)", outcome.Reason);
        Assert.Equal("aborted", world.Record.Approvals.Outcome);
        Assert.DoesNotContain(nameof(ApplyStep), world.Calls);
    }

    [Fact]
    public async Task An_unhealthy_wave_pauses_the_change_and_resume_after_repair_completes_it()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved);
        world.UnhealthyWaves[1] = true;
        string id = await host.StartAsync(world, Spec(""", "health_gate": {"observe_seconds": 0, "probe_interval_seconds": 1, "min_healthy_percent": 100}"""));
        await PausedAsync(world);
        Assert.Equal([Rg], world.Record.Execution.Steps.Select(s => s.StepId));
        Assert.StartsWith("health gate after wave 1: 0% healthy", world.Record.Reason, StringComparison.Ordinal);

        world.UnhealthyWaves[1] = false;
        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("resume"));

        Assert.Equal(ChangeStatuses.Completed, (await host.OutcomeAsync(id)).Status);
        Assert.Equal([Rg, Storage], world.Record.Execution.Steps.Select(s => s.StepId));
        Assert.Empty(world.Compensated);
    }

    [Fact]
    public async Task An_abort_of_a_change_paused_by_its_health_gate_rolls_back_what_was_applied()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved);
        world.UnhealthyWaves[1] = true;
        string id = await host.StartAsync(world, Spec(""", "health_gate": {"observe_seconds": 0, "probe_interval_seconds": 1, "min_healthy_percent": 100}"""));
        await PausedAsync(world);

        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("abort"));

        ChangeOutcome outcome = await host.OutcomeAsync(id);
        Assert.Equal(ChangeStatuses.RolledBack, outcome.Status);
        Assert.Equal("aborted by erin: abort (test)", outcome.Reason);
        Assert.Equal([Rg], world.Compensated);
        Assert.DoesNotContain(Storage, world.Record.Execution.Steps.Select(s => s.StepId));
        AssertEndedFinal(world, id, ChangeStatuses.RolledBack);
    }

    [Fact]
    public async Task A_health_gate_that_says_roll_back_rolls_back_the_applied_waves_without_pausing()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved);
        world.UnhealthyWaves[2] = true;
        string id = await host.StartAsync(world, Spec(""", "health_gate": {"observe_seconds": 0, "probe_interval_seconds": 1, "min_healthy_percent": 100, "on_failure": "rollback"}"""));

        ChangeOutcome outcome = await host.OutcomeAsync(id);

        Assert.Equal(ChangeStatuses.RolledBack, outcome.Status);
        Assert.StartsWith("health gate after wave 2", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal([Storage, Rg], world.Compensated);
        Assert.DoesNotContain("paused", world.Kinds);
        AssertEndedFinal(world, id, ChangeStatuses.RolledBack);
    }

    [Fact]
    public async Task A_failed_verification_rolls_back_every_applied_step_last_in_first_out()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved) { FailingVerifications = 1 };
        string id = await host.StartAsync(world, Spec());

        ChangeOutcome outcome = await host.OutcomeAsync(id);

        Assert.Equal(ChangeStatuses.RolledBack, outcome.Status);
        Assert.Equal("verification failed: rg: unhealthy (test)", outcome.Reason);
        Assert.Equal([Storage, Rg], world.Compensated);
        Assert.Equal(["gone", "gone"], world.Record.Rollback.ReadBacks.Select(r => r.State));
        AssertEndedFinal(world, id, ChangeStatuses.RolledBack);
    }

    [Fact]
    public async Task A_failed_verification_with_on_verify_failure_pause_waits_for_resume_and_verifies_again()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved) { FailingVerifications = 1 };
        string id = await host.StartAsync(world, Spec(""", "on_verify_failure": "pause" """));
        await PausedAsync(world);
        Assert.Equal(1, world.Calls.Count(c => c == nameof(VerifyChange)));

        await host.RaiseAsync(id, ChangeOrchestrator.OperatorEvent, Command("resume"));

        Assert.Equal(new ChangeOutcome(ChangeStatuses.Completed, null), await host.OutcomeAsync(id));
        Assert.Equal(2, world.Calls.Count(c => c == nameof(VerifyChange)));
        Assert.Empty(world.Compensated);
    }

    [Fact]
    public async Task A_failing_step_rolls_back_and_a_failing_compensation_ends_rollback_failed_while_the_others_still_run()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved);
        world.FailingSteps.Add(Storage);
        world.FailingCompensations.Add(Storage);
        string id = await host.StartAsync(world, Spec());

        ChangeOutcome outcome = await host.OutcomeAsync(id);

        Assert.Equal(ChangeStatuses.RollbackFailed, outcome.Status);
        Assert.StartsWith($"execution failed: {Storage}", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal([Storage, Rg], world.Compensated);
        Assert.Equal(["failed", "deleted"], world.Record.Rollback.Steps.Select(s => s.Outcome));
        Assert.Equal([Storage], world.Record.Rollback.LeftBehind);
        AssertEndedFinal(world, id, ChangeStatuses.RollbackFailed);
    }

    [Fact]
    public async Task A_verify_activity_that_fails_after_its_retries_ends_the_change_rolled_back_through_the_failure_boundary()
    {
        var world = new FakeWorld(ChangeRun.AutoApproved);
        world.BrokenActivities.Add(nameof(VerifyChange));
        string id = await host.StartAsync(world, Spec());

        ChangeOutcome outcome = await host.OutcomeAsync(id);

        Assert.Equal(ChangeStatuses.RolledBack, outcome.Status);
        Assert.StartsWith("verify failed: VerifyChange:", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(5, world.Calls.Count(c => c == nameof(VerifyChange)));
        Assert.Contains("failure", world.Kinds);
        Assert.Equal([Storage, Rg], world.Compensated);
        AssertEndedFinal(world, id, ChangeStatuses.RolledBack);
    }
}
