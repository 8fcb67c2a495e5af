using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Workflows.Telemetry;

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
        }.Seal();
        try
        {
            await evidence.AppendAsync(sealedRecord);
        }
        catch (EvidenceConflictException ex)
        {
            // Never overwritten, never dropped: the change fails loudly once retries are exhausted.
            UpmTelemetry.Fail(span, ex);
            logger.LogCritical("Evidence conflict for change {ChangeId}: {Blob} already holds a different record; nothing was overwritten", record.ChangeId, ex.BlobName);
            throw;
        }

        var head = new EvidenceHead(sealedRecord.Seq, sealedRecord.Sha256);
        await changes.SaveAsync(record with { Evidence = head });
        span?.SetTag(UpmTelemetry.Attributes.Outcome, "ok");
        UpmTelemetry.Checkpoint(record with { Evidence = head }, input.Kind, head.Records);
        return head;
    }
}
