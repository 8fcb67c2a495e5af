using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The change record as one orchestration run builds it, and the only way phases write it down: the audit trace, phase
/// transitions, checkpoints (record saved and an evidence record appended) and the custom status pollers see.
/// </summary>
public sealed class ChangeJournal
{
    readonly TaskOrchestrationContext context;
    readonly string changeId;

    // The record as the last checkpoint stored it (null before the first): the next checkpoint sends only what changed since.
    ChangeRecord? checkpointed;

    public ChangeJournal(TaskOrchestrationContext context, ChangeInput input)
    {
        this.context = context;
        changeId = input.ChangeId;

        // The record as submitted (the API's, without its one trace line: the run writes its own trace from the start).
        Record = ChangeRecords.Submitted(input.ChangeId, input.Spec, input.Initiator, input.InitiatorName, input.SubmittedAt) with
        {
            Status = ChangeStatuses.Running,
            OrchestrationVersion = WorkflowVersion.OfOrchestration(context.Version),
        };
    }

    /// <summary>Continues a finished change (post-completion rollback) from its stored record.</summary>
    public ChangeJournal(TaskOrchestrationContext context, ChangeRecord stored)
    {
        this.context = context;
        changeId = stored.ChangeId;
        Record = stored;
        checkpointed = stored;
    }

    /// <summary>The record as it stands; phases change it with <c>with</c> expressions.</summary>
    public ChangeRecord Record { get; set; }

    /// <summary>
    /// Set after an evidence conflict: nothing more is written to the chain (RecordProgress already marked the change
    /// failed); compensations and lock release still run, then the orchestration fails loudly.
    /// </summary>
    public bool EvidenceFrozen { get; set; }

    /// <summary>Enters a phase with a status; the phase's start time is kept the first time it is entered.</summary>
    public void EnterPhase(string phase, string status)
    {
        if (Record.Phase != phase || !Record.PhaseStartedAt.ContainsKey(phase))
        {
            Record = Record with { PhaseStartedAt = new Dictionary<string, DateTimeOffset>(Record.PhaseStartedAt) { [phase] = context.CurrentUtcDateTime } };
        }

        Record = Record with { Phase = phase, Status = status };
    }

    /// <summary>Appends a line to the audit trace (and the log, once, not on replay).</summary>
    public void Trace(string message)
    {
        Record = Record with { AuditTrace = [.. Record.AuditTrace, new AuditEntry(context.CurrentUtcDateTime, Record.Phase, message)] };
        context.CreateReplaySafeLogger<ChangeOrchestrator>().LogInformation("Change {ChangeId} [{Phase}] {Message}", changeId, Record.Phase, message);
    }

    /// <summary>Publishes phase, status and progress as the orchestration's custom status.</summary>
    public void PublishProgress() =>
        context.SetCustomStatus(new ChangeProgress(Record.Phase, Record.Status, Record.Execution.Steps.Count(StepOutcomes.Applied), Record.Plan?.Steps.Count ?? 0));

    /// <summary>
    /// A checkpoint on the way out of a failure: when its evidence cannot be written, the trace says so and the change goes
    /// on to its final record (which carries the whole record, trace included).
    /// </summary>
    public async Task CheckpointOrTraceAsync(string kind, object body)
    {
        try
        {
            await CheckpointAsync(kind, body);
        }
        catch (TaskFailedException ex)
        {
            Trace($"evidence record '{kind}' not written: {ex.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>Saves the record and appends an evidence record of <paramref name="kind"/> with <paramref name="body"/>.</summary>
    public async Task CheckpointAsync(string kind, object body)
    {
        Record = Record with { UpdatedAt = context.CurrentUtcDateTime };
        PublishProgress();
        if (EvidenceFrozen)
        {
            return;
        }

        // A replayed activity call takes its result from history and never reads its input: building the input again
        // (the whole record, ~1.5 MB for 1,000 steps) on every replay of every checkpoint made replays quadratic. The
        // retries are this loop's, not a retry policy's: a policy re-sends the input of its first attempt, which is null
        // when that attempt was replayed and the retry is new (an outage spanning episodes).
        EvidenceHead head;
        TimeSpan delay = TimeSpan.FromSeconds(1);
        for (int attempt = 1; ; attempt++)
        {
            ProgressInput? progress = context.IsReplaying ? null : Progress(kind, body);
            try
            {
                head = await context.CallActivityAsync<EvidenceHead>(nameof(RecordProgress), progress);
                break;
            }
            catch (TaskFailedException) when (attempt < Durable.RetryAttempts)
            {
                await context.CreateTimer(delay, CancellationToken.None);
                delay *= 2;
            }
        }

        Record = Record with { Evidence = head };
        checkpointed = Record;
    }

    // What a checkpoint sends: the record's changes since the last checkpoint (the plan, the pre-flight report and the
    // steps already stored stay behind), or the whole record at the first checkpoint of a change.
    ProgressInput Progress(string kind, object body)
    {
        JsonElement evidenceBody = JsonSerializer.SerializeToElement(body, UpmJson.Options);
        return checkpointed is not null && ChangeRecordDelta.Between(checkpointed, Record) is { } delta
            ? new ProgressInput(null, kind, evidenceBody) { Delta = delta }
            : new ProgressInput(Record, kind, evidenceBody);
    }

    /// <summary>The plan's steps whose execution succeeded.</summary>
    public List<PlanStep> AppliedSteps() => Core.Model.AppliedSteps.Of(Record);

    /// <summary>Whether a step of this run failed.</summary>
    public bool ExecutionFailed => !Record.Execution.Steps.All(StepOutcomes.Applied);

    /// <summary>The first failed pre-flight check's message.</summary>
    public string FirstFailedCheck() => Record.Preflight?.Checks.FirstOrDefault(c => !c.Ok)?.Message ?? "unknown";

    /// <summary>The first failed step and its error.</summary>
    public string FirstFailedStep()
    {
        StepRecord? step = Record.Execution.Steps.FirstOrDefault(s => s.Outcome == StepOutcomes.Failed);
        return step is null ? "unknown" : $"{step.StepId}: {step.Stderr}";
    }

    /// <summary>The first failed verification check.</summary>
    public string FirstFailedVerifyCheck()
    {
        VerifyCheck? check = Record.Verification?.Checks.FirstOrDefault(c => !c.Ok);
        return check is null ? "unknown" : $"{check.Target}: {check.Message}";
    }
}
