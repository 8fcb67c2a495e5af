using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Functions;

/// <summary>The scheduled drift reconciliation sweep (every 5 minutes).</summary>
public sealed class DriftReconcileTimer(DriftReconciler reconciler)
{
    [Function("DriftReconcile")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        await reconciler.SweepAsync(new DurableClientStarter(client), cancellationToken);
}
