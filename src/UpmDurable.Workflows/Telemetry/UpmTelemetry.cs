using System.Diagnostics;
using System.Diagnostics.Metrics;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;

namespace UpmDurable.Workflows.Telemetry;

/// <summary>
/// UpmDurable's OpenTelemetry signals: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>UpmDurable</c>.
/// Attributes carry identifiers and outcomes only (change id, tenant, phase, step id, provider, outcome) — never request
/// bodies, commands, step output, URLs or secrets.
/// </summary>
public static class UpmTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "UpmDurable";

    public static readonly ActivitySource Source = new(Name, typeof(UpmTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(UpmTelemetry).Assembly.GetName().Version?.ToString());

    static readonly Counter<long> ChangesSubmitted = Meter.CreateCounter<long>("upm.changes.submitted", "{change}", "Changes accepted by POST /api/changes");

    static readonly Counter<long> ChangesFinished = Meter.CreateCounter<long>("upm.changes.finished", "{change}", "Changes that reached a final status, by status");

    static readonly Histogram<double> ChangeDuration = Meter.CreateHistogram<double>("upm.change.duration", "s", "Submission to final status");

    static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>("upm.phase.duration", "s", "Time spent in each UPM phase of a finished change");

    static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("upm.step.duration", "s", "One apply or compensate step through its provider");

    static readonly Counter<long> StepFailures = Meter.CreateCounter<long>("upm.step.failures", "{step}", "Apply or compensate steps that failed");

    static readonly Histogram<double> ApprovalWait = Meter.CreateHistogram<double>("upm.approval.wait", "s", "Approval requested to the deciding approval, rejection or expiry");

    static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("upm.checkpoints", "{record}", "Evidence records appended, by kind");

    /// <summary>Attribute names (OpenTelemetry style, under the <c>upm.</c> namespace).</summary>
    public static class Attributes
    {
        public const string ChangeId = "upm.change_id";
        public const string Tenant = "upm.tenant";
        public const string Phase = "upm.phase";
        public const string Status = "upm.status";
        public const string StepId = "upm.step_id";
        public const string Wave = "upm.wave";
        public const string Provider = "upm.provider";
        public const string Outcome = "upm.outcome";
        public const string Kind = "upm.checkpoint.kind";
        public const string Seq = "upm.evidence.seq";
        public const string Action = "upm.step.action";
        public const string Steps = "upm.steps";
        public const string Calendar = "upm.window.calendar";
        public const string ErrorType = "error.type";
    }

    /// <summary>Starts a span for one unit of work of a change; null when nobody listens.</summary>
    public static Activity? Start(string name, string? changeId, string? tenant, string? phase = null)
    {
        Activity? span = Source.StartActivity(name, ActivityKind.Internal);
        if (span is null)
        {
            return null;
        }

        span.SetTag(Attributes.ChangeId, changeId);
        span.SetTag(Attributes.Tenant, tenant);
        span.SetTag(Attributes.Phase, phase);
        return span;
    }

    /// <summary>Marks a span failed with the exception's type only: messages may quote provider output.</summary>
    public static void Fail(Activity? span, Exception ex)
    {
        span?.SetTag(Attributes.ErrorType, ex.GetType().FullName);
        span?.SetTag(Attributes.Outcome, "error");
        span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
    }

    /// <summary>A change was accepted (not an idempotent replay of an earlier submission).</summary>
    public static void ChangeSubmitted(string tenant, string changeId, int steps)
    {
        ChangesSubmitted.Add(1, new KeyValuePair<string, object?>(Attributes.Tenant, tenant));
        Activity.Current?.AddEvent(new ActivityEvent("upm.change.submitted", tags: new ActivityTagsCollection
        {
            [Attributes.ChangeId] = changeId,
            [Attributes.Tenant] = tenant,
            [Attributes.Steps] = steps,
        }));
    }

    /// <summary>Runs one apply or compensate step in a span and records its duration, outcome and failure.</summary>
    public static async Task<StepRecord> TraceStepAsync(string action, StepRequest input, Func<Task<StepRecord>> run)
    {
        using Activity? span = Start(action == "apply" ? "upm.apply_step" : "upm.compensate_step", input.ChangeId, input.Tenant, action == "apply" ? Phases.Execute : Phases.Audit);
        span?.SetTag(Attributes.StepId, input.Step.Id);
        span?.SetTag(Attributes.Wave, input.Step.Wave);
        span?.SetTag(Attributes.Provider, input.Provider);
        span?.SetTag(Attributes.Action, action);
        long started = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            StepRecord record = await run();
            outcome = record.Outcome;
            span?.SetTag(Attributes.Outcome, outcome);
            if (outcome == "failed")
            {
                span?.SetStatus(ActivityStatusCode.Error, "step failed");
            }

            return record;
        }
        catch (Exception ex)
        {
            Fail(span, ex);
            throw;
        }
        finally
        {
            var tags = new TagList
            {
                { Attributes.Provider, input.Provider },
                { Attributes.Action, action },
                { Attributes.Outcome, outcome },
            };
            StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            if (outcome is "failed" or "error")
            {
                StepFailures.Add(1, tags);
            }
        }
    }

    /// <summary>
    /// Called by <c>RecordProgress</c> at every checkpoint, after its evidence record is stored: an event on the current
    /// span, and at the final <c>audit</c> checkpoint the change's own span with one child span per phase (built from the
    /// record's phase start times, since a durable change outlives any process) plus the change, phase and approval metrics.
    /// </summary>
    public static void Checkpoint(ChangeRecord record, string kind, int seq)
    {
        Activity.Current?.AddEvent(new ActivityEvent("upm.checkpoint", tags: new ActivityTagsCollection
        {
            [Attributes.Kind] = kind,
            [Attributes.Phase] = record.Phase,
            [Attributes.Status] = record.Status,
            [Attributes.Seq] = seq,
        }));
        Checkpoints.Add(1, new KeyValuePair<string, object?>(Attributes.Kind, kind));
        if (kind != "audit" || !ChangeStatuses.IsFinal(record.Status))
        {
            return;
        }

        var statusTags = new TagList { { Attributes.Tenant, record.Tenant }, { Attributes.Status, record.Status } };
        ChangesFinished.Add(1, statusTags);
        ChangeDuration.Record(Math.Max(0, (record.UpdatedAt - record.SubmittedAt).TotalSeconds), statusTags);

        var phases = record.PhaseStartedAt.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        for (int i = 0; i < phases.Count; i++)
        {
            DateTimeOffset end = i + 1 < phases.Count ? phases[i + 1].Value : record.UpdatedAt;
            PhaseDuration.Record(Math.Max(0, (end - phases[i].Value).TotalSeconds), new TagList { { Attributes.Phase, phases[i].Key }, { Attributes.Status, record.Status } });
        }

        if (ApprovalWaitOf(record) is { } wait)
        {
            ApprovalWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(Attributes.Outcome, record.Approvals.Outcome));
        }

        EmitChangeSpans(record, phases);
    }

    // The change span is a root of its own trace (it began long before this activity), linked to the span that emitted it.
    static void EmitChangeSpans(ChangeRecord record, List<KeyValuePair<string, DateTimeOffset>> phases)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        Activity? emitter = Activity.Current;
        List<ActivityLink>? links = emitter is null ? null : [new ActivityLink(emitter.Context)];
        Activity.Current = null;
        try
        {
            using Activity? change = Source.StartActivity("upm.change", ActivityKind.Internal, default(ActivityContext), ChangeTags(record, null), links, record.SubmittedAt);
            if (change is null)
            {
                return;
            }

            change.SetTag(Attributes.Outcome, record.Status);
            change.SetTag(Attributes.Provider, record.Intent.Provider);
            change.SetTag(Attributes.Steps, record.Plan?.Steps.Count ?? 0);
            if (record.Status != ChangeStatuses.Completed)
            {
                change.SetStatus(ActivityStatusCode.Error, record.Status);
            }

            for (int i = 0; i < phases.Count; i++)
            {
                DateTimeOffset end = i + 1 < phases.Count ? phases[i + 1].Value : record.UpdatedAt;
                using Activity? phase = Source.StartActivity("upm.phase." + phases[i].Key, ActivityKind.Internal, change.Context, ChangeTags(record, phases[i].Key), startTime: phases[i].Value);
                phase?.SetEndTime(end.UtcDateTime);
            }

            change.SetEndTime(record.UpdatedAt.UtcDateTime);
        }
        finally
        {
            Activity.Current = emitter;
        }
    }

    static List<KeyValuePair<string, object?>> ChangeTags(ChangeRecord record, string? phase) =>
    [
        new(Attributes.ChangeId, record.ChangeId),
        new(Attributes.Tenant, record.Tenant),
        new(Attributes.Phase, phase ?? record.Phase),
        new(Attributes.Status, record.Status),
    ];

    // From the request for approval (deadline minus the requested timeout) to the decision that settled it, or the expiry.
    static TimeSpan? ApprovalWaitOf(ChangeRecord record)
    {
        ApprovalState approvals = record.Approvals;
        if (approvals.Deadline is not { } deadline)
        {
            return approvals.Outcome == ApprovalOutcomes.AutoApproved ? TimeSpan.Zero : null;
        }

        DateTimeOffset? settled = approvals.Outcome switch
        {
            ApprovalOutcomes.Approved or ApprovalOutcomes.Rejected => approvals.Decisions.Count > 0 ? approvals.Decisions.Max(d => d.At) : null,
            ApprovalOutcomes.Expired => deadline,
            _ => null,
        };
        if (settled is null)
        {
            return null;
        }

        TimeSpan timeout;
        try
        {
            timeout = ChangeRequestValidator.ParseDuration(record.Intent.ApprovalTimeout);
        }
        catch (FormatException)
        {
            return null;
        }

        TimeSpan wait = settled.Value - (deadline - timeout);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
