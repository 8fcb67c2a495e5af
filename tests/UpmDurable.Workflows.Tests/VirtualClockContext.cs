using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// A <see cref="TaskOrchestrationContext"/> whose clock is virtual: a durable timer fires as soon as it is created and
/// moves the clock to its fire time, so a 20-day wait runs in milliseconds with the orchestrator's own arithmetic.
/// Activities are handlers run to completion one at a time (results round-trip through Durable Task's JSON converter,
/// as history does); a handler's exception becomes a <see cref="TaskFailedException"/>. An external event arrives at the
/// virtual time it is scheduled for: a timer that would fire after it does not fire, the clock moves to the event
/// instead. Nothing is replayed: <see cref="IsReplaying"/> is always false.
/// </summary>
public sealed class VirtualClockContext(DateTime start) : TaskOrchestrationContext, IActivitySink
{
    readonly Dictionary<string, Func<object?, Task<object?>>> handlers = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<TaskCompletionSource<object?>>> waiting = new(StringComparer.Ordinal);
    readonly List<(DateTime At, string Name, object? Value)> scheduled = [];
    int guids;

    /// <summary>Every durable timer created: when (virtual time), and for how long.</summary>
    public List<(DateTime At, TimeSpan Delay)> Timers { get; } = [];

    /// <summary>Every activity called, in order, with the virtual time of the call.</summary>
    public List<(string Name, DateTime At)> Calls { get; } = [];

    /// <summary>The last custom status set.</summary>
    public object? CustomStatus { get; private set; }

    public override TaskName Name => "VirtualClock";

    public override string InstanceId { get; } = "chg-virtual";

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => Now;

    DateTime Now { get; set; } = start;

    public override bool IsReplaying => false;

    /// <summary>The orchestration's version (<c>context.Version</c>); the current one, as for a change started by this build.</summary>
    public string OrchestrationVersion { get; set; } = WorkflowVersion.AppVersion;

    public override string Version => OrchestrationVersion;

    /// <summary>The options of the orchestration's <c>ContinueAsNew</c>, when it called it.</summary>
    public ContinueAsNewOptions? ContinuedAsNew { get; private set; }

    public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException("no entities in these tests");

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    /// <summary>Answers calls of activity <paramref name="name"/> with <paramref name="handler"/>.</summary>
    public VirtualClockContext On<TInput>(string name, Func<TInput, object?> handler) =>
        On<TInput>(name, input => Task.FromResult(handler(input)));

    void IActivitySink.Add<TInput>(string name, Func<TInput, object?> answer) => On(name, answer);

    /// <summary>Answers calls of activity <paramref name="name"/> with an asynchronous <paramref name="handler"/>.</summary>
    public VirtualClockContext On<TInput>(string name, Func<TInput, Task<object?>> handler)
    {
        handlers[name] = input => handler((TInput)input!);
        return this;
    }

    /// <summary>Schedules an external event at a virtual time: delivered when a timer created while it is awaited would pass it.</summary>
    public VirtualClockContext RaiseAt(DateTime at, string name, object? value)
    {
        scheduled.Add((at, name, value));
        return this;
    }

    public override T GetInput<T>() => default!;

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        Calls.Add((name.Name, Now));
        if (!handlers.TryGetValue(name.Name, out var handler))
        {
            throw new InvalidOperationException($"No handler for activity {name.Name}: the test must say what it answers.");
        }

        try
        {
            // Run to completion: one activity at a time keeps the virtual clock well defined.
            object? result = handler(input).GetAwaiter().GetResult();
            string? json = JsonDataConverter.Default.Serialize(result);
            return Task.FromResult((TResult)JsonDataConverter.Default.Deserialize(json, typeof(TResult))!);
        }
        catch (Exception ex)
        {
            var details = new TaskFailureDetails(ex.GetType().FullName!, ex.Message, ex.StackTrace, null, null);
            return Task.FromException<TResult>(new TaskFailedException(name.Name, Calls.Count, details));
        }
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add((Now, fireAt - Now));
        var due = scheduled.Where(e => e.At < fireAt && waiting.TryGetValue(e.Name, out var w) && w.Count > 0).OrderBy(e => e.At).FirstOrDefault();
        if (due.Name is not null)
        {
            // The event comes first: the clock moves to it, and this timer stays pending until it is cancelled.
            scheduled.Remove(due);
            Now = due.At > Now ? due.At : Now;
            List<TaskCompletionSource<object?>> waits = waiting[due.Name];
            TaskCompletionSource<object?> first = waits[0];
            waits.RemoveAt(0);
            first.TrySetResult(due.Value);
            var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cancellationToken.Register(() => pending.TrySetCanceled());
            return pending.Task;
        }

        if (fireAt > Now)
        {
            Now = fireAt;
        }

        return Task.CompletedTask;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        var source = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!waiting.TryGetValue(eventName, out var waits))
        {
            waiting[eventName] = waits = [];
        }

        waits.Add(source);
        cancellationToken.Register(() =>
        {
            waits.Remove(source);
            source.TrySetCanceled();
        });
        return source.Task.ContinueWith(t => (T)t.Result!, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public override void SendEvent(string instanceId, string eventName, object payload) =>
        throw new NotSupportedException("no events sent in these tests");

    public override void SetCustomStatus(object? customStatus) => CustomStatus = customStatus;

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("no sub-orchestrations in these tests");

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        throw new NotSupportedException("continue-as-new is taken with options only (the version travels with them)");

    public override void ContinueAsNew(ContinueAsNewOptions options) => ContinuedAsNew = options;

    public override Guid NewGuid() => new(++guids, 0, 0, new byte[8]);
}
