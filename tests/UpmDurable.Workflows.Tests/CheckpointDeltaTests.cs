using UpmDurable.Core.Model;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>What a change's checkpoints send: the whole record once, then only what changed; the stored record is still whole.</summary>
public sealed class CheckpointDeltaTests
{
    const string ThreeWaves = """
        {"request": "Create rg-delta, its storage account and a namespace", "tenant": "acme",
         "target": {"resources": [
           {"type": "az_resource_group", "name": "rg-delta", "location": "eastus"},
           {"type": "az_storage_account", "name": "stdelta", "resource_group": "rg-delta"},
           {"type": "k8s_namespace", "name": "ns-delta", "depends_on": ["stdelta"]}]}}
        """;

    [Fact]
    public async Task The_first_checkpoint_sends_the_record_and_the_later_ones_leave_the_plan_intent_and_stored_steps_behind()
    {
        var run = new ChangeRun(ThreeWaves, ChangeRun.AutoApproved);

        Assert.Equal(ChangeStatuses.Completed, (await run.RunAsync()).Status);

        Assert.Null(run.Checkpoints[0].Delta);
        Assert.All(run.Checkpoints.Skip(1), c =>
        {
            Assert.NotNull(c.Delta);
            Assert.Null(c.Delta.Plan);
            Assert.Null(c.Delta.Intent);
            Assert.Equal(c.Record!.Execution.Steps.Count, c.Delta.ExecutionStepsFrom + (c.Delta.Execution?.Steps.Count ?? 0));
        });

        // Each executed step travels once, whichever checkpoint first stored it.
        Assert.Equal(3, run.Checkpoints.Sum(c => c.Delta is null ? c.Record!.Execution.Steps.Count : c.Delta.Execution?.Steps.Count ?? 0));
        Assert.Equal(run.Checkpoints.Count - 1, run.Checkpoints.Count(c => c.Delta is { AuditFrom: > 0 }));

        // The record as saved after the last delta is the whole record: plan, every step, the trace from its first line.
        ChangeRecord saved = run.Record;
        Assert.Equal(3, saved.Plan!.Steps.Count);
        Assert.Equal(3, saved.Execution.Steps.Count);
        Assert.StartsWith("change submitted by alice", saved.AuditTrace[0].Msg, StringComparison.Ordinal);
        Assert.Equal("change completed", saved.AuditTrace[^1].Msg);
        Assert.Equal(ChangeStatuses.Completed, saved.Status);
    }

    [Fact]
    public async Task The_run_keeps_the_initiator_name_it_was_started_with()
    {
        var run = new ChangeRun(ThreeWaves, ChangeRun.AutoApproved);

        await new ChangeOrchestrator().RunAsync(run.Context, new ChangeInput("chg-named", run.Spec.Tenant, "oid-ann", ChangeRun.Start, run.Spec) { InitiatorName = "Ann Example" });

        Assert.All(run.Checkpoints, c => Assert.Equal(("oid-ann", "Ann Example"), (c.Record!.Initiator, c.Record.InitiatorName)));
    }
}
