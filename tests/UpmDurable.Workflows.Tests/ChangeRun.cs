using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Core.Windows;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// A whole <see cref="ChangeOrchestrator"/> run on a <see cref="VirtualClockContext"/>: the real plan compiler, and
/// the in-memory activities of <see cref="FakeWorld"/>. A test replaces the answers it is about.
/// </summary>
public sealed class ChangeRun
{
    public static readonly DateTime Start = new(2025, 3, 3, 10, 0, 0, DateTimeKind.Utc);

    public ChangeRun(string requestJson, ApprovalRequirement approval)
    {
        Spec = SpecFrom(requestJson);
        var context = new VirtualClockContext(Start);
        Context = context;
        World = new FakeWorld(approval) { Now = () => context.CurrentUtcDateTime };
        World.RegisterIn(context);
    }

    public ChangeSpec Spec { get; }

    /// <summary>A request validated as the API validates it (sandbox and azure enabled).</summary>
    public static ChangeSpec SpecFrom(string requestJson) =>
        ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(requestJson, UpmJson.StrictRequest)!, new HashSet<string>(["sandbox", "azure"], StringComparer.Ordinal));

    public VirtualClockContext Context { get; }

    /// <summary>The fake activities' state: checkpoints, calls, knobs.</summary>
    public FakeWorld World { get; }

    /// <summary>Every checkpoint the run recorded, in order (the change record as it was saved).</summary>
    public List<ProgressInput> Checkpoints => World.Checkpoints;

    /// <summary>The change record of the last checkpoint.</summary>
    public ChangeRecord Record => World.Record;

    /// <summary>Pre-flight hands the change to the policy's auto-approval lane.</summary>
    public static ApprovalRequirement AutoApproved => new(0, true, "auto-approval lane (test)", "test.auto");

    /// <summary>Pre-flight asks one approver of platform-owners.</summary>
    public static ApprovalRequirement OneApprover => new(1, false, "one approver (test)", "test.one", ["platform-owners"], 1);

    /// <summary>
    /// Puts the change's provider under a rate limit: the real <see cref="RateBucket"/> rules, kept in memory, at the
    /// orchestration's (virtual) time. <see cref="Permits"/> counts the permit requests and releases.
    /// </summary>
    public ChangeRun WithRateLimit(RateLimit limit)
    {
        RateBucket bucket = RateBucket.New(limit, Start);
        Context
            .On<RateLimitLookup>(nameof(LookUpRateLimit), l => new RateLimitScope(l.Provider, l.Tenant, limit))
            .On<RatePermitRequest>(nameof(AcquireRatePermit), r =>
            {
                Permits.Add("acquire " + r.Holder);
                return bucket.Acquire(r.Holder, r.Scope.Limit, Context.CurrentUtcDateTime, out _);
            })
            .On<RatePermitRequest>(nameof(ReleaseRatePermit), r =>
            {
                Permits.Add("release " + r.Holder);
                return bucket.Release(r.Holder) || true;
            });
        return this;
    }

    /// <summary>The permit requests and releases of <see cref="WithRateLimit"/>, in order.</summary>
    public List<string> Permits { get; } = [];

    /// <summary>Answers the change-window check from a calendar, at the orchestration's (virtual) time.</summary>
    public ChangeRun WithCalendar(ChangeWindowCalendar calendar)
    {
        Context.On<WindowCheck>(nameof(CheckChangeWindow), c => calendar.Evaluate(c.At));
        return this;
    }

    /// <summary>Runs the change; <paramref name="plan"/> is the plan compiled at submit that travels with it, when given.</summary>
    public Task<ChangeOutcome> RunAsync(Plan? plan = null) =>
        new ChangeOrchestrator().RunAsync(Context, new ChangeInput("chg-virtual", Spec.Tenant, "alice", Start, Spec) { Plan = plan });
}
