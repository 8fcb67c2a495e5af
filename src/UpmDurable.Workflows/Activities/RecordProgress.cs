using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Workflows.Diagnostics;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Phase 5 at every transition: appends the next write-once evidence record to the change's hash chain, then saves the
/// change record and index with the new chain head. Replaying it with the same input is a no-op; a replay that re-observed
/// its steps keeps the record an earlier attempt wrote. A checkpoint after the first sends a delta, applied to the stored
/// record (which the previous checkpoint wrote); applying it again gives the same record.
/// </summary>
public sealed class RecordProgress(EvidenceStore evidence, ChangeStore changes, ActivityFaults faults, ILogger<RecordProgress> logger) : TaskActivity<ProgressInput, EvidenceHead>
{
    public override async Task<EvidenceHead> RunAsync(TaskActivityContext context, ProgressInput input)
    {
        ChangeRecord record = input.Delta is { } delta
            ? delta.ApplyTo(await changes.GetAsync(delta.Tenant, delta.ChangeId) ?? throw new InvalidOperationException($"Change {delta.ChangeId} has no stored record to apply its checkpoint to."))
            : input.Record ?? throw new ArgumentException("A checkpoint carries the record or its delta.", nameof(input));
        await faults.ThrowIfInjectedAsync(record.Tenant, record.ChangeId, "checkpoint", input.Kind);
        using System.Diagnostics.Activity? span = UpmTelemetry.Start("upm.record_progress", record.ChangeId, record.Tenant, record.Phase);
        span?.SetTag(UpmTelemetry.Attributes.Kind, input.Kind);
        span?.SetTag(UpmTelemetry.Attributes.Status, record.Status);
        span?.SetTag(UpmTelemetry.Attributes.Seq, record.Evidence.Records + 1);
        EvidenceRecord sealedRecord = new EvidenceRecord
        {
            Seq = record.Evidence.Records + 1,
            Ts = record.UpdatedAt,
            Kind = input.Kind,
            ChangeId = record.ChangeId,
            Tenant = record.Tenant,
            Prev = record.Evidence.ChainHead,
            Body = input.Body,
            Simulated = record.Simulated,
            OrchestrationVersion = record.OrchestrationVersion,
        }.Seal();
        try
        {
            await evidence.AppendAsync(sealedRecord);
        }
        catch (EvidenceConflictException ex)
        {
            if (await EarlierAttemptAsync(sealedRecord) is { } earlier)
            {
                // Activities run at least once: a crash can lose the episode that scheduled this record after its activity
                // ran, and the replay (a new episode, a new timestamp, steps possibly re-observed) seals a different body for
                // the same transition. The record written first is the one in the chain; the chain continues from it.
                logger.LogWarning("Evidence record {Seq} ({Kind}) of change {ChangeId} was already written by an earlier attempt of the same transition; keeping it", earlier.Seq, earlier.Kind, record.ChangeId);
                var kept = new EvidenceHead(earlier.Seq, earlier.Sha256);
                span?.SetTag(UpmTelemetry.Attributes.Outcome, "kept_earlier_attempt");
                await changes.SaveAsync(record with { Evidence = kept });
                return kept;
            }

            // Never overwritten, never dropped: the change fails loudly once retries are exhausted. A conflict is permanent
            // (the same input meets the same blob again), so the index says failed now, with the chain head it had; the list,
            // the record and KPIs show the failure instead of a change that seems to still run.
            UpmTelemetry.Fail(span, ex);
            logger.LogCritical("Evidence conflict for change {ChangeId}: {Blob} already holds a different record; nothing was overwritten", record.ChangeId, ex.BlobName);
            string reason = $"evidence record {sealedRecord.Seq} ({input.Kind}) could not be written: {ex.BlobName} already holds a different record";
            await changes.SaveAsync(record with
            {
                Status = ChangeStatuses.Failed,
                Reason = reason,
                AuditTrace = [.. record.AuditTrace, new AuditEntry(record.UpdatedAt, record.Phase, "change failed: " + reason)],
            });
            throw;
        }

        var head = new EvidenceHead(sealedRecord.Seq, sealedRecord.Sha256);
        await changes.SaveAsync(record with { Evidence = head });
        span?.SetTag(UpmTelemetry.Attributes.Outcome, "ok");
        UpmTelemetry.Checkpoint(record with { Evidence = head }, input.Kind, head.Records);
        return head;
    }

    // The stored record at this record's place when it is intact and is the same transition of the same chain: same change,
    // seq, kind and previous link. Anything else (altered, foreign, another kind) is a conflict.
    async Task<EvidenceRecord?> EarlierAttemptAsync(EvidenceRecord ours)
    {
        byte[]? raw = await evidence.GetRawAsync(ours.Tenant, ours.ChangeId, ours.Seq);
        EvidenceRecord? stored;
        try
        {
            stored = raw is null ? null : JsonSerializer.Deserialize<EvidenceRecord>(raw, UpmJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }

        return stored is not null
            && stored.BlobName == ours.BlobName
            && stored.Seq == ours.Seq
            && stored.Kind == ours.Kind
            && stored.ChangeId == ours.ChangeId
            && stored.Tenant == ours.Tenant
            && stored.Prev == ours.Prev
            && stored.ComputeHash() == stored.Sha256
            ? stored
            : null;
    }
}
