using Microsoft.Azure.Functions.Worker;
using UpmDurable.Workflows;

namespace UpmDurable.Functions;

/// <summary>The scheduled drift reconciliation sweep (every 5 minutes).</summary>
public sealed class DriftReconcileTimer(DriftReconciler reconciler)
{
    [Function("DriftReconcile")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        await reconciler.SweepAsync(cancellationToken);
}
