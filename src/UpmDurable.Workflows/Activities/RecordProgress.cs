using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Phase 5 at every transition: appends the next write-once evidence record to the change's hash chain, then saves the
/// change record and index with the new chain head. Replaying it with the same input is a no-op.
/// </summary>
public sealed class RecordProgress(EvidenceStore evidence, ChangeStore changes, ILogger<RecordProgress> logger) : TaskActivity<ProgressInput, EvidenceHead>
{
    public override async Task<EvidenceHead> RunAsync(TaskActivityContext context, ProgressInput input)
    {
        ChangeRecord record = input.Record;
        EvidenceRecord sealedRecord = new EvidenceRecord
        {
            Seq = record.Evidence.Records + 1,
            Ts = record.UpdatedAt,
            Kind = input.Kind,
            ChangeId = record.ChangeId,
            Tenant = record.Tenant,
            Prev = record.Evidence.ChainHead,
            Body = input.Body,
        }.Seal();
        try
        {
            await evidence.AppendAsync(sealedRecord);
        }
        catch (EvidenceConflictException ex)
        {
            // Never overwritten, never dropped: the change fails loudly once retries are exhausted. A conflict is permanent
            // (the same input meets the same blob again), so the index says failed now, with the chain head it had; the list,
            // the record and KPIs show the failure instead of a change that seems to still run.
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
        return head;
    }
}
