using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Phase 4: every applied resource read back and checked. On a failed verification the request chooses: roll back
/// (default), or pause for an operator who resumes (verify again) or aborts (roll back).
/// </summary>
public sealed class VerifyPhase(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, OperatorChannel operators)
{
    /// <summary>How many times a paused change may be verified again.</summary>
    public const int MaxVerifyAttempts = 100;

    /// <summary>Finish completed when verified; roll back otherwise.</summary>
    public async Task<PhaseResult> RunAsync(List<PlanStep> applied)
    {
        for (int attempt = 0; !await VerifyOnceAsync(applied); attempt++)
        {
            string failure = "verification failed: " + journal.FirstFailedVerifyCheck();
            if (input.Spec.OnVerifyFailure != "pause" || attempt >= MaxVerifyAttempts)
            {
                return PhaseResult.RollBack(failure);
            }

            await operators.PauseForOperatorAsync(failure);
            if (operators.AbortedBy is { } aborted)
            {
                return PhaseResult.RollBack(aborted);
            }
        }

        return PhaseResult.Finish(ChangeStatuses.Completed, null);
    }

    async Task<bool> VerifyOnceAsync(List<PlanStep> applied)
    {
        journal.EnterPhase(Phases.Verify, ChangeStatuses.Running);
        VerifyReport report = await context.CallActivityAsync<VerifyReport>(
            nameof(VerifyChange), new VerifyInput(input.Tenant, input.ChangeId, input.Spec.Provider, applied), Durable.Retry);
        journal.Record = journal.Record with { Verification = report };
        journal.Trace(report.Ok ? $"verify OK: {report.Checks.Count} checks, baseline {report.BaselineHash}" : "verify failed: " + journal.FirstFailedVerifyCheck());
        await journal.CheckpointAsync(EvidenceKinds.Verify, report);
        return report.Ok;
    }
}
