using System.Collections.Concurrent;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Workflows.Tests;

/// <summary>Where fake activities are registered: a <see cref="VirtualClockContext"/>, or the Durable Task in-process test host.</summary>
public interface IActivitySink
{
    /// <summary>Answers calls of activity <paramref name="name"/>; the answer may throw, as a failing activity does.</summary>
    void Add<TInput>(string name, Func<TInput, object?> answer);
}

/// <summary>
/// The one home of the fake activities a <see cref="Orchestrators.ChangeOrchestrator"/> runs against in memory: the real
/// plan compiler; pre-flight passes with the world's approval requirement; locks are free; steps apply unless the world
/// says a step fails; health probes and verification answer what the world says; every checkpoint is kept. A test sets
/// the world's knobs for the branch it is about.
/// </summary>
public sealed class FakeWorld(ApprovalRequirement approval)
{
    int evidence;
    int verifies;

    /// <summary>What pre-flight answers for approvals.</summary>
    public ApprovalRequirement Approval { get; set; } = approval;

    /// <summary>What the fake pre-flight's dry run answers.</summary>
    public List<DryRunEntry> DryRun { get; set; } = [];

    /// <summary>Steps whose apply the target refuses (rc 1).</summary>
    public HashSet<string> FailingSteps { get; } = new(StringComparer.Ordinal);

    /// <summary>Steps whose compensation the target refuses.</summary>
    public HashSet<string> FailingCompensations { get; } = new(StringComparer.Ordinal);

    /// <summary>Waves whose health probe finds every resource unhealthy (until the test repairs them).</summary>
    public ConcurrentDictionary<int, bool> UnhealthyWaves { get; } = new();

    /// <summary>How many verifications fail before one passes (0: every verification passes).</summary>
    public int FailingVerifications { get; set; }

    /// <summary>Activities that throw a non-step error on every call (a storage outage past the retries).</summary>
    public HashSet<string> BrokenActivities { get; } = new(StringComparer.Ordinal);

    /// <summary>Every activity call, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>
    /// Every checkpoint the run recorded, in order, with <see cref="ProgressInput.Record"/> the change record as it was saved
    /// (a delta applied to the record saved before, as <see cref="RecordProgress"/> applies it; <see cref="ProgressInput.Delta"/>
    /// still says what was sent).
    /// </summary>
    public List<ProgressInput> Checkpoints { get; } = [];

    /// <summary>The steps compensated, in the order they were.</summary>
    public ConcurrentQueue<string> Compensated { get; } = new();

    /// <summary>Lock requests released (by change id).</summary>
    public ConcurrentQueue<LockRequest> Released { get; } = new();

    /// <summary>The clock the answers are stamped with (the virtual clock, or the wall clock in the test host).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The change record of the last checkpoint.</summary>
    public ChangeRecord Record
    {
        get
        {
            lock (Checkpoints)
            {
                return Checkpoints[^1].Record!;
            }
        }
    }

    /// <summary>The evidence kinds recorded so far, in order.</summary>
    public List<string> Kinds
    {
        get
        {
            lock (Checkpoints)
            {
                return Checkpoints.Select(c => c.Kind).ToList();
            }
        }
    }

    Dictionary<string, Func<object?, object?>>? handlers;

    /// <summary>Answers one call of activity <paramref name="name"/> (the in-process host dispatches here by instance id).</summary>
    public object? Answer(string name, object? input)
    {
        if (handlers is null)
        {
            var table = new HandlerTable();
            RegisterIn(table);
            handlers = table.Handlers;
        }

        return handlers.TryGetValue(name, out var answer)
            ? answer(input)
            : throw new InvalidOperationException($"No fake for activity {name}: the test world must say what it answers.");
    }

    sealed class HandlerTable : IActivitySink
    {
        public Dictionary<string, Func<object?, object?>> Handlers { get; } = new(StringComparer.Ordinal);

        public void Add<TInput>(string name, Func<TInput, object?> answer) => Handlers[name] = input => answer((TInput)input!);
    }

    /// <summary>Registers every activity a change orchestration calls.</summary>
    public void RegisterIn(IActivitySink sink)
    {
        sink.Add<ChangeSpec>(nameof(CompilePlan), spec => Call(nameof(CompilePlan), () => PlanCompiler.Compile(spec)));
        sink.Add<PreflightInput>(nameof(RunPreflight), _ => Call(nameof(RunPreflight), () => new PreflightReport { Ok = true, Checks = [], DryRun = DryRun, Approval = Approval }));
        sink.Add<ProgressInput?>(nameof(RecordProgress), p => Call(nameof(RecordProgress), () => Recorded(p)));
        sink.Add<ApprovalNotice>(nameof(NotifyApprovers), _ => Call(nameof(NotifyApprovers), () => "sent"));
        sink.Add<ChangeNotice>(nameof(NotifyChange), _ => Call(nameof(NotifyChange), () => "sent"));
        sink.Add<LockRequest>(nameof(AcquireResourceLocks), _ => Call(nameof(AcquireResourceLocks), () => new List<ResourceHolder>()));
        sink.Add<LockRequest>(nameof(ReleaseResourceLocks), r => Call(nameof(ReleaseResourceLocks), () =>
        {
            Released.Enqueue(r);
            return true;
        }));
        sink.Add<StepRequest>(nameof(ApplyStep), r => Call(nameof(ApplyStep), () => FailingSteps.Contains(r.Step.Id)
            ? throw new StepFailedException(r.Step.Id, 1, $"target refused {r.Step.Id} (test)")
            : StepRecords.Done(r.Step, Now(), r.Step.Command, "created", "applied")));
        sink.Add<StepRequest>(nameof(CompensateStep), r => Call(nameof(CompensateStep), () =>
        {
            Compensated.Enqueue(r.Step.Id);
            return FailingCompensations.Contains(r.Step.Id)
                ? throw new StepFailedException(r.Step.Id, 1, $"target refused to delete {r.Step.Id} (test)")
                : StepRecords.Done(r.Step, Now(), r.Step.Rollback, "deleted", "deleted");
        }));
        sink.Add<VerifyInput>(nameof(ProbeHealth), v => Call(nameof(ProbeHealth), () => Probe(v)));
        sink.Add<VerifyInput>(nameof(VerifyChange), _ => Call(nameof(VerifyChange), () =>
        {
            bool ok = Interlocked.Increment(ref verifies) > FailingVerifications;
            return new VerifyReport
            {
                Ok = ok,
                Checks = [new VerifyCheck("health", "rg", ok, ok ? "healthy" : "unhealthy (test)")],
                Diff = [],
                BaselineHash = "sha256:0",
            };
        }));
        sink.Add<VerifyInput>(nameof(VerifyRollback), v => Call(nameof(VerifyRollback), () =>
            v.Steps.Select(s => new RollbackReadBack(s.Id, s.Id, FailingCompensations.Contains(s.Id) ? "left_behind" : "gone", "read back (test)")).ToList()));
        sink.Add<DriftMonitorInput>(nameof(StartDriftMonitor), _ => Call(nameof(StartDriftMonitor), () => true));
        sink.Add<RateLimitLookup>(nameof(LookUpRateLimit), _ => Call(nameof(LookUpRateLimit), () => null));
    }

    object? Call(string name, Func<object?> answer)
    {
        Calls.Enqueue(name);
        return BrokenActivities.Contains(name) ? throw new InvalidOperationException($"{name}: storage unavailable (test)") : answer();
    }

    HealthProbe Probe(VerifyInput input)
    {
        int wave = input.Steps.Count == 0 ? 0 : input.Steps[0].Wave;
        bool unhealthy = UnhealthyWaves.TryGetValue(wave, out bool bad) && bad;
        int total = input.Steps.Count;
        return new HealthProbe(wave, unhealthy ? 0 : total, total, unhealthy ? 0 : 100, unhealthy ? input.Steps.Select(s => s.Id).ToList() : [], Now());
    }

    EvidenceHead Recorded(ProgressInput? progress)
    {
        lock (Checkpoints)
        {
            if (progress is not null)
            {
                ChangeRecord saved = progress.Delta is { } delta ? delta.ApplyTo(Checkpoints[^1].Record!) : progress.Record!;
                Checkpoints.Add(progress with { Record = saved });
            }

            evidence++;
            return new EvidenceHead(evidence, $"sha256:{evidence:D64}");
        }
    }
}
