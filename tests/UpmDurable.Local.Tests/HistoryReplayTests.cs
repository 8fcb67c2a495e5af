using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using UpmDurable.Testing;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Local.Tests;

/// <summary>
/// Histories captured from earlier versions (tests/UpmDurable.Local.Tests/Histories, written by the versioning end-to-end
/// test) replayed under the current orchestrator code: no non-determinism, and the same outcome as recorded. A change to
/// the orchestrator's sequence of activities, timers or events that is not behind a <c>context.Version</c> check fails here.
/// </summary>
public sealed class HistoryReplayTests
{
    public static TheoryData<string> Histories() => [.. Directory.GetFiles(HistoryFolder, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    static string HistoryFolder => Path.Combine(AppContext.BaseDirectory, "Histories");

    [Theory]
    [MemberData(nameof(Histories))]
    public void A_recorded_change_replays_under_the_current_code_to_the_recorded_outcome(string file)
    {
        List<HistoryEvent> history = Load(file);
        ExecutionCompletedEvent recorded = history.OfType<ExecutionCompletedEvent>().Single();
        Assert.Equal(OrchestrationStatus.Completed, recorded.OrchestrationStatus);

        ReplayResult replay = OrchestrationReplay.Run(history, new ChangeOrchestrator());

        Assert.Empty(replay.Unrecorded);
        Assert.NotNull(replay.Completion);
        Assert.True(replay.Completion.OrchestrationStatus == OrchestrationStatus.Completed, $"replay ended {replay.Completion.OrchestrationStatus}: {replay.Completion.FailureDetails}");
        Assert.Equal(recorded.Result, replay.Completion.Result);
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void A_recorded_history_is_a_change_that_waited_for_approval_and_ran_at_a_version_this_build_accepts(string file)
    {
        List<HistoryEvent> history = Load(file);
        ExecutionStartedEvent started = history.OfType<ExecutionStartedEvent>().Single();

        Assert.Equal(nameof(ChangeOrchestrator), started.Name);
        Assert.Contains(history.OfType<EventRaisedEvent>(), e => e.Name == ChangeOrchestrator.ApprovalEvent);
        Assert.False(string.IsNullOrEmpty(started.Version));
        Assert.True(Microsoft.DurableTask.Abstractions.TaskOrchestrationVersioningUtils.CompareVersions(started.Version, WorkflowVersion.AppVersion) <= 0, $"{file} ran at {started.Version}, newer than this build's {WorkflowVersion.AppVersion}");
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void Code_that_changed_its_sequence_without_a_version_check_is_caught_as_non_deterministic(string file)
    {
        // The control: one extra activity before the change's first one, as an unguarded edit would add.
        ReplayResult replay = OrchestrationReplay.Run(Load(file), new ExtraFirstActivity());

        Assert.True(replay.Completion is null || replay.Completion.OrchestrationStatus != OrchestrationStatus.Completed || replay.Unrecorded.Count > 0,
            "the replay of changed code was accepted");
        Assert.True(replay.Completion?.OrchestrationStatus == OrchestrationStatus.Failed, $"expected a non-determinism failure, got {replay.Completion?.OrchestrationStatus}");
        Assert.Contains("NonDeterministic", replay.Completion!.FailureDetails?.ErrorType + replay.Completion.FailureDetails?.ErrorMessage + replay.Completion.Details, StringComparison.OrdinalIgnoreCase);
    }

    static List<HistoryEvent> Load(string file) => OrchestrationHistoryFile.Read(File.ReadAllText(Path.Combine(HistoryFolder, file)));

    sealed class ExtraFirstActivity : TaskOrchestrator<ChangeInput, ChangeOutcome>
    {
        public override async Task<ChangeOutcome> RunAsync(TaskOrchestrationContext context, ChangeInput input)
        {
            await context.CallActivityAsync<string>("NotInTheRecordedRun", input.ChangeId);
            return await new ChangeOrchestrator().RunAsync(context, input);
        }
    }
}
