using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Sweeps;

/// <summary>
/// The janitor of the reconciliation sweep: no change stays stranded. An index row that is not final while nothing runs for
/// it (its orchestration failed, was terminated or is gone, and no rollback runs) is made final — <c>failed</c>, with the
/// reason, its locks released and an evidence record written. A <c>submitted</c> row whose orchestration never started is
/// started from its stored record after a grace period (or failed visibly when it cannot be).
/// </summary>
public sealed class ChangeJanitor(ChangeStore changes, EvidenceStore evidence, ResourceLocks locks, TimeProvider clock, ILogger<ChangeJanitor> logger)
{
    /// <summary>How long a submitted change may wait for its orchestration to start before the janitor starts it.</summary>
    public static readonly TimeSpan SubmittedGrace = TimeSpan.FromMinutes(3);

    /// <summary>One pass over every change that is not final.</summary>
    public async Task<JanitorSweep> SweepAsync(IOrchestrationStarter starter, CancellationToken cancellationToken)
    {
        int started = 0, finalized = 0;
        foreach (ChangeIndexEntry row in await changes.ListActiveAsync(cancellationToken))
        {
            InstanceState change = await starter.StateAsync(row.ChangeId, cancellationToken);
            InstanceState rollback = await starter.StateAsync(RollbackInput.InstanceIdFor(row.ChangeId), cancellationToken);
            if (change.IsRunning || rollback.IsRunning)
            {
                continue;
            }

            ChangeRecord? record = await changes.GetAsync(row.Tenant, row.ChangeId, cancellationToken);
            if (row.Status == ChangeStatuses.Submitted && change.Status == InstanceState.Missing)
            {
                if (clock.GetUtcNow() - row.SubmittedAt < SubmittedGrace)
                {
                    continue; // The API may be starting it right now.
                }

                // A remediation is started by its drift monitor, which owns it; any other change starts from its stored request.
                if (record is not null && record.Initiator != Activities.StartRemediation.Initiator)
                {
                    // The submitted record holds no plan yet: the orchestration compiles it from the stored request.
                    var input = new ChangeInput(record.ChangeId, record.Tenant, record.Initiator, record.SubmittedAt, record.Intent) { Plan = record.Plan, InitiatorName = record.InitiatorName };
                    if (await starter.StartIfIdleAsync(nameof(ChangeOrchestrator), record.ChangeId, input, cancellationToken))
                    {
                        started++;
                        logger.LogWarning("Janitor: change {ChangeId} (tenant {Tenant}) was submitted {Age} ago and never started; started it from its stored request", row.ChangeId, row.Tenant, clock.GetUtcNow() - row.SubmittedAt);
                    }

                    continue;
                }
            }

            string reason = change.Status == InstanceState.Missing
                ? $"its orchestration {(row.Status == ChangeStatuses.Submitted ? "never started and it cannot be started from a stored request" : "no longer exists")}"
                : $"its orchestration ended {change.Status}{(change.Failure is null ? string.Empty : ": " + change.Failure)}";
            if (record is not null && await FinalizeAsync(record, $"made final by the janitor while {record.Status}: {reason}", cancellationToken))
            {
                finalized++;
            }
        }

        return new JanitorSweep(started, finalized);
    }

    // Releases the change's locks, appends a janitor record to its evidence chain and saves the record and index as failed.
    async Task<bool> FinalizeAsync(ChangeRecord record, string reason, CancellationToken cancellationToken)
    {
        List<ResourceKey> resources = ResourceKey.OfSteps(record.Intent.Provider, record.Plan?.Steps ?? []);
        await locks.ReleaseAsync(record.Tenant, record.ChangeId, resources, owner: null, cancellationToken);

        List<string> applied = AppliedSteps.Ids(record.Execution.Steps);
        var compensated = AppliedSteps.Ids(record.Rollback.Steps).ToHashSet(StringComparer.Ordinal);
        var uncompensated = applied.Where(id => !compensated.Contains(id)).ToList();
        if (uncompensated.Count > 0)
        {
            reason += $"; {uncompensated.Count} applied step(s) were not compensated: {string.Join(", ", uncompensated.Take(10))}";
        }

        // The chain as stored is the authority (the record may lag one transition behind it).
        List<EvidenceRecord> chain = await evidence.ListAsync(record.Tenant, record.ChangeId, cancellationToken);
        EvidenceRecord? last = chain.LastOrDefault();
        DateTimeOffset now = clock.GetUtcNow();
        EvidenceRecord sealedRecord = new EvidenceRecord
        {
            Seq = (last?.Seq ?? 0) + 1,
            Ts = now,
            Kind = EvidenceKinds.JanitorFinal,
            ChangeId = record.ChangeId,
            Tenant = record.Tenant,
            Prev = last?.Sha256,
            Body = System.Text.Json.JsonSerializer.SerializeToElement(new { status = ChangeStatuses.Failed, previous_status = record.Status, reason, uncompensated }, UpmJson.Options),
            Simulated = record.Simulated,
            OrchestrationVersion = record.OrchestrationVersion,
        }.Seal();
        await evidence.AppendAsync(sealedRecord, cancellationToken);

        await changes.SaveAsync(record with
        {
            Status = ChangeStatuses.Failed,
            Phase = Phases.Audit,
            Reason = reason,
            UpdatedAt = now,
            Evidence = new EvidenceHead(sealedRecord.Seq, sealedRecord.Sha256),
            AuditTrace = [.. record.AuditTrace, new AuditEntry(now, Phases.Audit, "change failed: " + reason)],
        }, cancellationToken);
        logger.LogWarning("Janitor: change {ChangeId} (tenant {Tenant}) made final: {Reason}", record.ChangeId, record.Tenant, reason);
        return true;
    }
}
