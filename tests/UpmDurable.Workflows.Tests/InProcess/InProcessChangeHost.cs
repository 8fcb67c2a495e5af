using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests.InProcess;

/// <summary>
/// The real <see cref="ChangeOrchestrator"/> on the Durable Task in-process test host (in-memory backend, real history,
/// replay, timers and external events), over the fake activities of <see cref="FakeWorld"/>: each running change has its
/// own world, found by the orchestration's instance id. One host serves a whole test class.
/// </summary>
public sealed class InProcessChangeHost : IAsyncLifetime
{
    readonly ConcurrentDictionary<string, FakeWorld> worlds = new(StringComparer.Ordinal);
    DurableTaskTestHost? host;

    DurableTaskClient Client => host?.Client ?? throw new InvalidOperationException("the host is not started");

    public async Task InitializeAsync()
    {
        host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<ChangeOrchestrator>();
            new FakeWorld(ChangeRun.AutoApproved).RegisterIn(new Dispatcher(registry, worlds));
        });
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Starts a change in <paramref name="world"/>; answers its id (the instance id).</summary>
    public async Task<string> StartAsync(FakeWorld world, ChangeSpec spec)
    {
        string id = "chg-" + Guid.NewGuid().ToString("N")[..12];
        worlds[id] = world;
        await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ChangeOrchestrator), new ChangeInput(id, spec.Tenant, "alice", DateTimeOffset.UtcNow, spec), new StartOrchestrationOptions(id) { Version = WorkflowVersion.AppVersion });
        return id;
    }

    /// <summary>Raises an external event (an approval decision, an operator command) on the change.</summary>
    public Task RaiseAsync(string id, string eventName, object payload) => Client.RaiseEventAsync(id, eventName, payload);

    /// <summary>Waits until the world satisfies <paramref name="condition"/> (a checkpoint written, a call made).</summary>
    public static async Task UntilAsync(FakeWorld world, Func<FakeWorld, bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition(world))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}; evidence so far: {string.Join(", ", world.Kinds)}");
            await Task.Delay(25);
        }
    }

    /// <summary>The orchestration's output once it completed (it must complete, never fail).</summary>
    public async Task<ChangeOutcome> OutcomeAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<ChangeOutcome>()!;
    }

    // Registers each fake activity once; a call is answered by the world of the calling orchestration.
    sealed class Dispatcher(DurableTaskRegistry registry, ConcurrentDictionary<string, FakeWorld> worlds) : IActivitySink
    {
        public void Add<TInput>(string name, Func<TInput, object?> answer) =>
            registry.AddActivityFunc<TInput, object?>(name, (context, input) => worlds[context.InstanceId].Answer(name, input));
    }
}
