using Microsoft.DurableTask;

namespace UpmDurable.Bench.Host;

/// <summary>
/// The engine's floor for a change's execution: the same waves and batches of activity fan-out a change runs, with
/// activities that do nothing. The execution benchmark compares a real change with this on the same backend. Registered
/// only by the bench host (this project), never by the product's hosts.
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
