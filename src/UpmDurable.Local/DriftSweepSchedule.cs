using UpmDurable.Workflows;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Local;

/// <summary>The local host's equivalent of the Functions timer trigger: a drift reconciliation sweep every few minutes.</summary>
public sealed class DriftSweepSchedule(DriftReconciler reconciler, IOrchestrationStarter starter, LocalHostOptions options, ILogger<DriftSweepSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.DriftSweepMinutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await reconciler.SweepAsync(starter, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Drift sweep failed; the next tick retries");
            }
        }
    }
}
