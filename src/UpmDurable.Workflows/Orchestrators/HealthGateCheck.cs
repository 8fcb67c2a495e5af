using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The health gate after each wave: its resources are probed for the observation period; below the threshold the change
/// pauses for an operator, or rolls back when the request says so.
/// </summary>
public sealed class HealthGateCheck(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, OperatorChannel operators)
{
    /// <summary>Continue when the wave is healthy (or an operator resumed it); roll back or finish aborted otherwise.</summary>
    public async Task<PhaseResult> CheckAsync(List<PlanStep> wave)
    {
        if (input.Spec.HealthGate is not { } gate || wave.Count == 0)
        {
            return PhaseResult.Continue;
        }

        DateTime until = context.CurrentUtcDateTime + TimeSpan.FromSeconds(gate.ObserveSeconds);
        for (int probeNo = 0; probeNo < 10_000; probeNo++)
        {
            HealthProbe probe = await context.CallActivityAsync<HealthProbe>(
                nameof(ProbeHealth), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, wave), Durable.Retry);
            journal.Record = journal.Record with { Execution = journal.Record.Execution with { HealthGates = [.. journal.Record.Execution.HealthGates, probe] } };
            if (!probe.Passes(gate.MinHealthyPercent))
            {
                string reason = $"health gate after wave {probe.Wave}: {probe.HealthyPercent}% healthy, below {gate.MinHealthyPercent}% (unhealthy: {string.Join(", ", probe.Unhealthy.Take(5))})";
                journal.Trace(reason);
                await journal.CheckpointAsync(EvidenceKinds.HealthGate, probe);
                if (gate.OnFailure == "rollback")
                {
                    return PhaseResult.RollBack(reason);
                }

                await operators.PauseForOperatorAsync(reason);
                return operators.AbortedBy is { } aborted ? PhaseResult.RollBack(aborted) : PhaseResult.Continue;
            }

            if (context.CurrentUtcDateTime + TimeSpan.FromSeconds(gate.ProbeIntervalSeconds) > until)
            {
                journal.Trace($"health gate after wave {probe.Wave} passed: {probe.Healthy}/{probe.Total} healthy");
                await journal.CheckpointAsync(EvidenceKinds.HealthGate, probe);
                return PhaseResult.Continue;
            }

            await context.CreateTimer(TimeSpan.FromSeconds(gate.ProbeIntervalSeconds), CancellationToken.None);
        }

        return PhaseResult.Continue;
    }
}
