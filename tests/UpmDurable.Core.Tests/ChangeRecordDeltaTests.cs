using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>A checkpoint's delta: what it leaves behind, and that applying it to the stored record gives the orchestration's record.</summary>
public sealed class ChangeRecordDeltaTests
{
    static readonly DateTimeOffset At = new(2025, 10, 9, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Submitted_record_holds_who_asked_and_the_intent_in_status_submitted()
    {
        ChangeSpec spec = TestChanges.Spec(TestChanges.Namespaces(2));

        ChangeRecord record = ChangeRecords.Submitted("chg-1", spec, "oid-ann", "Ann Example", At);

        Assert.Equal(("chg-1", "acme", "oid-ann", "Ann Example"), (record.ChangeId, record.Tenant, record.Initiator, record.InitiatorName));
        Assert.Equal((ChangeStatuses.Submitted, Phases.Plan, At, At), (record.Status, record.Phase, record.SubmittedAt, record.UpdatedAt));
        Assert.Same(spec, record.Intent);
        Assert.Empty(record.AuditTrace);
    }

    [Fact]
    public void A_delta_after_execution_leaves_the_plan_preflight_and_stored_steps_behind_and_rebuilds_the_record()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted();

        ChangeRecordDelta delta = ChangeRecordDelta.Between(stored, now)!;

        Assert.Null(delta.Plan);
        Assert.Null(delta.Preflight);
        Assert.Null(delta.Intent);
        Assert.Equal(2, delta.ExecutionStepsFrom);
        Assert.Single(delta.Execution!.Steps);
        Assert.Equal(2, delta.AuditFrom);
        Assert.Single(delta.AuditAdded);
        Assert.Equal(Json(now), Json(delta.ApplyTo(stored)));
    }

    [Fact]
    public void Applying_the_same_delta_twice_gives_the_same_record_as_a_retried_activity_does()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted();
        ChangeRecordDelta delta = RoundTrip(ChangeRecordDelta.Between(stored, now)!);

        ChangeRecord once = delta.ApplyTo(stored);
        ChangeRecord twice = delta.ApplyTo(once with { Evidence = new EvidenceHead(4, "sha256:next") });

        Assert.Equal(Json(now), Json(once));
        Assert.Equal(Json(now), Json(twice));
    }

    [Fact]
    public void A_delta_is_far_smaller_than_the_record_once_the_plan_is_stored()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted(resources: 200);

        int delta = Json(ChangeRecordDelta.Between(stored, now)!).Length;

        Assert.True(delta * 10 < Json(now).Length, $"delta {delta} bytes, record {Json(now).Length} bytes");
    }

    [Fact]
    public void A_delta_does_not_apply_to_an_older_stored_record_or_another_change()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted();
        ChangeRecordDelta delta = ChangeRecordDelta.Between(stored, now)!;

        Assert.Throws<InvalidOperationException>(() => delta.ApplyTo(stored with { AuditTrace = [] }));
        Assert.Throws<InvalidOperationException>(() => delta.ApplyTo(stored with { ChangeId = "chg-other" }));
    }

    [Fact]
    public void A_section_that_went_back_to_nothing_is_no_delta_the_whole_record_travels()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted();

        Assert.Null(ChangeRecordDelta.Between(stored, now with { Preflight = null }));
    }

    [Fact]
    public void A_replaced_list_is_sent_whole()
    {
        (ChangeRecord stored, ChangeRecord now) = PlannedThenExecuted();
        ChangeRecord rewritten = now with { AuditTrace = [new AuditEntry(At, Phases.Audit, "only line")] };

        ChangeRecordDelta delta = ChangeRecordDelta.Between(stored, rewritten)!;

        Assert.Equal(0, delta.AuditFrom);
        Assert.Equal(Json(rewritten), Json(delta.ApplyTo(stored)));
    }

    // The record as the plan and pre-flight checkpoints stored it (two steps run), then one more step, a trace line and a status.
    static (ChangeRecord Stored, ChangeRecord Now) PlannedThenExecuted(int resources = 3)
    {
        ChangeSpec spec = TestChanges.Spec(TestChanges.Namespaces(resources));
        Plan plan = PlanCompiler.Compile(spec);
        ChangeRecord stored = ChangeRecords.Submitted("chg-delta", spec, "alice", "Alice", At) with
        {
            Status = ChangeStatuses.Running,
            Phase = Phases.Execute,
            Plan = plan,
            Preflight = new PreflightReport { Ok = true, Checks = [], DryRun = [.. plan.Steps.Select(s => new DryRunEntry(s.Id, "create", s.Command))] },
            Execution = new ExecutionReport { Steps = [Step(plan.Steps[0]), Step(plan.Steps[1])] },
            AuditTrace = [new AuditEntry(At, Phases.Plan, "plan compiled"), new AuditEntry(At, Phases.Execute, "wave 1")],
            Evidence = new EvidenceHead(3, "sha256:3"),
        };
        ChangeRecord now = stored with
        {
            Status = ChangeStatuses.Completed,
            UpdatedAt = At.AddMinutes(1),
            Execution = stored.Execution with { Steps = [.. stored.Execution.Steps, Step(plan.Steps[2])] },
            AuditTrace = [.. stored.AuditTrace, new AuditEntry(At.AddMinutes(1), Phases.Execute, "wave 2")],
        };
        return (stored, now);
    }

    static StepRecord Step(PlanStep step) => new() { StepId = step.Id, Wave = step.Wave, Cmd = step.Command, Rc = 0, Outcome = StepOutcomes.Created, StartedAt = At, FinishedAt = At };

    static ChangeRecordDelta RoundTrip(ChangeRecordDelta delta) => JsonSerializer.Deserialize<ChangeRecordDelta>(JsonSerializer.Serialize(delta))!;

    static string Json(object value) => UpmJson.Serialize(value);
}
