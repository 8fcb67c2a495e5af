using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Storage;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Sweeps;

/// <summary>
/// The drift reconciliation sweep, run by the Functions timer trigger, the local host's schedule and POST /api/drift/reconcile:
/// across all tenants, starts the drift monitor of every completed change whose monitor is missing (never started, terminated,
/// failed) or stale (no check for two intervals), and stops the monitors of changes rolled back since. Its janitor runs
/// first: no change stays stranded in a status that is not final while nothing runs for it.
/// </summary>
public sealed class DriftReconciler(ChangeStore changes, ChangeJanitor janitor, TimeProvider clock, ILogger<DriftReconciler> logger)
{
    /// <summary>A monitor is stale when its last check is older than two intervals plus this grace.</summary>
    public static readonly TimeSpan StaleGrace = TimeSpan.FromMinutes(2);

    /// <summary>Runs one sweep.</summary>
    public async Task<DriftSweep> SweepAsync(IOrchestrationStarter starter, CancellationToken cancellationToken)
    {
        JanitorSweep janitorSweep = await janitor.SweepAsync(starter, cancellationToken);
        DateTimeOffset now = clock.GetUtcNow();
        int restarted = 0, stopped = 0, stale = 0;
        List<ChangeIndexEntry> completed = await changes.ListMonitoredAsync(ChangeStatuses.Completed, cancellationToken);
        foreach (ChangeIndexEntry change in completed)
        {
            if (change.DriftStatus == DriftStatuses.Stopped)
            {
                continue; // Superseded on all its resources: its monitor ended on purpose.
            }

            string interval = change.DriftInterval ?? ChangeDefaults.DriftInterval;
            var input = new DriftMonitorInput(change.Tenant, change.ChangeId, change.DriftMode ?? ChangeDefaults.DriftMode, interval);
            string instanceId = DriftMonitorInput.InstanceIdFor(change.ChangeId);
            if (await starter.StartIfIdleAsync(nameof(DriftMonitorOrchestrator), instanceId, input, cancellationToken))
            {
                restarted++;
                logger.LogWarning("Drift sweep: monitor of change {ChangeId} (tenant {Tenant}) was missing; started", change.ChangeId, change.Tenant);
                continue;
            }

            DateTimeOffset lastSeen = change.DriftCheckedAt ?? change.UpdatedAt;
            if (now - lastSeen > 2 * ChangeRequestValidator.ParseDuration(interval) + StaleGrace)
            {
                stale++;
                await starter.StopAsync(instanceId, "stale: restarted by the drift reconciliation sweep", cancellationToken);
                if (await starter.StartIfIdleAsync(nameof(DriftMonitorOrchestrator), instanceId, input, cancellationToken))
                {
                    restarted++;
                }

                logger.LogWarning("Drift sweep: monitor of change {ChangeId} was stale (last check {LastSeen:O}); restarted", change.ChangeId, lastSeen);
            }
        }

        foreach (string status in new[] { ChangeStatuses.RolledBack, ChangeStatuses.RollbackFailed })
        {
            foreach (ChangeIndexEntry change in await changes.ListMonitoredAsync(status, cancellationToken))
            {
                if (await starter.StopAsync(DriftMonitorInput.InstanceIdFor(change.ChangeId), $"change is {status}", cancellationToken))
                {
                    stopped++;
                }
            }
        }

        logger.LogInformation("Drift sweep: {Swept} monitored change(s), {Restarted} monitor(s) started, {Stale} stale, {Stopped} stopped", completed.Count, restarted, stale, stopped);
        return new DriftSweep(completed.Count, restarted, stopped, now) { Janitor = janitorSweep };
    }
}
