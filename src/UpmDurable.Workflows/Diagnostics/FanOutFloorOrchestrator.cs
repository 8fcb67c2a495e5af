using Microsoft.DurableTask;

namespace UpmDurable.Workflows.Diagnostics;

/// <summary>Input of <see cref="FanOutFloorOrchestrator"/>: waves of no-op activities, run in batches of at most <c>MaxParallel</c>.</summary>
public sealed record FanOutFloorInput(int Waves, int ActivitiesPerWave, int MaxParallel);

/// <summary>What a floor run did: activities completed and batches awaited.</summary>
public sealed record FanOutFloorResult(int Activities, int Batches);

/// <summary>
/// The engine's floor for a change's execution: the same waves and batches of activity fan-out a change runs, with
/// activities that do nothing. A benchmark compares a real change with this on the same backend. Registered only when
/// <c>Upm:Diagnostics:Enabled</c> is true.
/// </summary>
public sealed class FanOutFloorOrchestrator : TaskOrchestrator<FanOutFloorInput, FanOutFloorResult>
{
    public override async Task<FanOutFloorResult> RunAsync(TaskOrchestrationContext context, FanOutFloorInput input)
    {
        int activities = 0, batches = 0;
        int maxParallel = Math.Clamp(input.MaxParallel, 1, 100);
        for (int wave = 0; wave < input.Waves; wave++)
        {
            foreach (int[] batch in Enumerable.Range(0, input.ActivitiesPerWave).Chunk(maxParallel))
            {
                int[] done = await Task.WhenAll(batch.Select(i => context.CallActivityAsync<int>(nameof(NoOp), (wave * input.ActivitiesPerWave) + i)));
                activities += done.Length;
                batches++;
            }
        }

        return new FanOutFloorResult(activities, batches);
    }
}
