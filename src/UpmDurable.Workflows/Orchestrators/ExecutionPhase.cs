using Microsoft.DurableTask;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Phase 3: the approved plan in waves. Before every wave, operator commands and the change window; in a wave, steps fan
/// out in batches of <c>max_parallel</c>, each with its compensation registered before it runs; after every wave, the
/// health gate. Ends with the steps applied and what to do next (verify, finish, or roll back).
/// </summary>
public sealed class ExecutionPhase(
    ChangeInput input,
    ChangeJournal journal,
    OperatorChannel operators,
    WindowGate window,
    HealthGateCheck health,
    StepRunner steps,
    Compensation compensation)
{
    /// <summary>Runs the waves; answers the applied steps and the next move.</summary>
    public async Task<ExecutionResult> RunAsync(Plan plan)
    {
        journal.EnterPhase(Phases.Execute, ChangeStatuses.Running);
        var applied = new List<PlanStep>();

        // Execution runs only the plan that was approved: its content must still hash to the approved plan hash.
        string approvedHash = journal.Record.Approvals.PlanHash ?? plan.PlanHash;
        if (CanonicalJson.Hash(plan with { PlanHash = string.Empty }) != approvedHash)
        {
            journal.Record = journal.Record with { Execution = journal.Record.Execution with { Steps = [steps.Failed(plan.Steps[0], new InvalidOperationException($"plan no longer matches the approved hash {approvedHash}"))] } };
            return Next(applied, null, null);
        }

        var byId = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (List<string> wave in plan.Waves)
        {
            // Operator commands and the window are checked before every wave: a change never starts a wave paused,
            // aborted or outside its window.
            if (!await operators.AllowsNextWaveAsync())
            {
                return Next(applied, null, null);
            }

            if (await window.WaitUntilOpenAsync() is { } closed)
            {
                return Next(applied, closed, null);
            }

            // One checkpoint per wave (or at the first failed batch), not per batch: each checkpoint carries the
            // whole record into history, so a 1,000-step change checkpointing per batch spent more in
            // checkpoints and their replay than in its steps. Progress per batch is still published.
            var waveRecords = new List<StepRecord>();
            foreach (PlanStep[] batch in wave.Select(id => byId[id]).Chunk(input.Spec.MaxParallel))
            {
                waveRecords.AddRange(await RunBatchAsync(batch, applied));
                if (journal.ExecutionFailed)
                {
                    await journal.CheckpointAsync(EvidenceKinds.Execute, waveRecords);
                    return Next(applied, null, null);
                }

                journal.PublishProgress();
            }

            await journal.CheckpointAsync(EvidenceKinds.Execute, waveRecords);

            PhaseResult gate = await health.CheckAsync(wave.Select(id => byId[id]).ToList());
            if (!gate.GoesOn)
            {
                return Next(applied, null, gate);
            }
        }

        return Next(applied, null, null);
    }

    // One batch fanned out; the compensation of each step is registered before it runs, so a step that fails half-way is still undone.
    async Task<List<StepRecord>> RunBatchAsync(PlanStep[] batch, List<PlanStep> applied)
    {
        var running = new List<(PlanStep Step, Task<StepRecord> Task)>();
        foreach (PlanStep step in batch)
        {
            compensation.Register(step);
            running.Add((step, steps.RunAsync(nameof(ApplyStep), step)));
        }

        try
        {
            await Task.WhenAll(running.Select(r => r.Task));
        }
        catch (TaskFailedException)
        {
            // Each failure is read from its own task below.
        }

        var records = running.Select(r => r.Task.IsCompletedSuccessfully ? r.Task.Result : steps.Failed(r.Step, r.Task.Exception)).ToList();
        applied.AddRange(running.Where(r => r.Task.IsCompletedSuccessfully).Select(r => r.Step));
        journal.Record = journal.Record with { Execution = journal.Record.Execution with { Steps = [.. journal.Record.Execution.Steps, .. records] } };
        foreach (StepRecord step in records)
        {
            journal.Trace($"execute step {step.StepId} (wave {step.Wave}): {(step.Outcome == StepOutcomes.Failed ? "FAILED rc=" + step.Rc : "OK " + step.Outcome)}");
        }

        return records;
    }

    // Why execution stopped, in order of precedence: an operator's abort, a closed window, a failed step, the health gate.
    ExecutionResult Next(List<PlanStep> applied, string? outsideWindow, PhaseResult? gate)
    {
        PhaseResult next = operators.AbortedBy is { } aborted ? StopOrRollBack(applied, ChangeStatuses.Aborted, aborted)
            : outsideWindow is { } closed ? StopOrRollBack(applied, ChangeStatuses.Failed, closed)
            : journal.ExecutionFailed ? PhaseResult.RollBack("execution failed: " + journal.FirstFailedStep())
            : gate ?? PhaseResult.Continue;
        return new ExecutionResult(applied, next);
    }

    // Nothing applied: end with the status; else compensate what was.
    static PhaseResult StopOrRollBack(List<PlanStep> applied, string status, string reason) =>
        applied.Count == 0 ? PhaseResult.Finish(status, reason) : PhaseResult.RollBack(reason);
}
