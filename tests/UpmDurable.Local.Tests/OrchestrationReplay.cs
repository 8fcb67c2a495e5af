using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace UpmDurable.Local.Tests;

/// <summary>
/// Replays a recorded history against orchestrator code the way the gRPC worker runs an episode: the worker's shim
/// (<see cref="DurableTaskShimFactory"/>) around the orchestrator, Durable Task's <see cref="TaskOrchestrationExecutor"/>
/// over the whole history as past events, failure details as the worker propagates them. The executor checks every
/// action the code takes against the history and fails the orchestration on a mismatch (non-determinism).
/// </summary>
public static class OrchestrationReplay
{
    /// <summary>The actions the code asks for after replaying <paramref name="history"/>.</summary>
    public static ReplayResult Run(IList<HistoryEvent> history, ITaskOrchestrator orchestrator)
    {
        ExecutionStartedEvent started = history.OfType<ExecutionStartedEvent>().Single();
        TaskOrchestration shim = DurableTaskShimFactory.Default.CreateOrchestration(started.Name, orchestrator);
        var state = new OrchestrationRuntimeState(history);
        var executor = new TaskOrchestrationExecutor(state, shim, BehaviorOnContinueAsNew.Carryover, entityParameters: null, ErrorPropagationMode.UseFailureDetails);
        OrchestratorExecutionResult result = executor.Execute();
        return new ReplayResult([.. result.Actions]);
    }
}

/// <summary>What a replay asked for: when the code ends as the history did, exactly one completion and nothing else.</summary>
public sealed record ReplayResult(List<OrchestratorAction> Actions)
{
    /// <summary>The completion the code reached, when it reached one.</summary>
    public OrchestrationCompleteOrchestratorAction? Completion => Actions.OfType<OrchestrationCompleteOrchestratorAction>().SingleOrDefault();

    /// <summary>Actions beyond the completion: work the recorded run never did.</summary>
    public List<OrchestratorAction> Unrecorded => [.. Actions.Where(a => a is not OrchestrationCompleteOrchestratorAction)];
}
