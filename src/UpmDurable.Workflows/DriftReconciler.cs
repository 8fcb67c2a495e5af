using Microsoft.Extensions.Logging;
using UpmDurable.Storage;

namespace UpmDurable.Workflows;

/// <summary>
/// The drift reconciliation sweep, run by the Functions timer trigger and the local host's schedule.
/// For now it lists the changes that are still running across all tenants; drift monitors come with the drift issue.
/// </summary>
public sealed class DriftReconciler(ChangeStore changes, ILogger<DriftReconciler> logger)
{
    /// <summary>Runs one sweep and returns the active changes it saw.</summary>
    public async Task<IReadOnlyList<ChangeIndexEntry>> SweepAsync(CancellationToken cancellationToken)
    {
        List<ChangeIndexEntry> active = await changes.ListActiveAsync(cancellationToken);
        foreach (ChangeIndexEntry change in active)
        {
            logger.LogInformation("Drift sweep: change {ChangeId} of tenant {Tenant} is {Status} in phase {Phase}", change.ChangeId, change.Tenant, change.Status, change.Phase);
        }

        logger.LogInformation("Drift sweep: {Count} active change(s)", active.Count);
        return active;
    }
}
