using System.Collections.Concurrent;
using Azure;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;

namespace UpmDurable.Storage;

/// <summary>
/// What the KPIs and the scorecard read of each change (its record, its evidence verified against the index row, the
/// kinds of evidence it holds, its drift report), kept between KPI passes and computed again only when something it was
/// computed from changed. Each pass still asks storage about every input: the record and the drift report are read with
/// <c>If-None-Match</c> (a 304 sends nothing), the index row is read, and the evidence blobs are listed with their ETags.
/// Only when all of them are as before are the evidence blobs not downloaded and verified again: a blob edited, deleted
/// or added, or an index row whose chain length or head moved, all show in those reads (a record saved since is read
/// anew, and its evidence verified again only if the evidence changed too).
/// </summary>
public sealed class KpiFacts(ChangeStore changes, EvidenceStore evidence)
{
    /// <summary>A record larger than this is read every pass and not kept (a 1,000-step change's record is about 1.5 MB).</summary>
    public const long MaxKeptRecordBytes = 256 * 1024;

    /// <summary>What all kept records may add up to.</summary>
    public const long MaxKeptBytes = 64L * 1024 * 1024;

    readonly ConcurrentDictionary<(string Tenant, string ChangeId), Kept> kept = new();
    readonly Lock gate = new();
    long keptBytes;

    /// <summary>How many changes' facts are kept (for tests and diagnostics).</summary>
    public int KeptCount => kept.Count;

    /// <summary>The KPI facts of one change as stored now, or null when it has no record.</summary>
    public async Task<KpiChange?> ReadAsync(string tenant, string changeId, CancellationToken cancellationToken = default)
    {
        var key = (tenant, changeId);
        kept.TryGetValue(key, out Kept? known);
        StoredRead<ChangeRecord> record = await changes.GetIfChangedAsync(tenant, changeId, known?.Record, cancellationToken);
        if (record.State == StoredReadState.Missing || (record.State == StoredReadState.Unchanged && known is null))
        {
            Forget(key);
            return null;
        }

        bool recordUnchanged = record.State == StoredReadState.Unchanged;
        ChangeRecord current = recordUnchanged ? known!.Change.Record : record.Value!;

        ExpectedChain expected = ExpectedChain.Of(await changes.GetIndexAsync(tenant, changeId, cancellationToken), current);
        List<EvidenceVersion> versions = await evidence.ListVersionsAsync(tenant, changeId, cancellationToken);

        (DriftReport? drift, ETag? driftETag) = (null, null);
        if (current.Status == ChangeStatuses.Completed)
        {
            StoredRead<DriftReport> read = await changes.GetDriftReportIfChangedAsync(tenant, changeId, known?.Drift, cancellationToken);
            (drift, driftETag) = read.State switch
            {
                StoredReadState.Read => (read.Value, read.ETag),
                StoredReadState.Unchanged when known is not null => (known.Change.Drift, known.Drift),
                _ => ((DriftReport?)null, (ETag?)null),
            };
        }

        // The verification rests on the evidence blobs and the index row only: a record saved since leaves it as it was.
        KpiChange facts;
        if (known is not null && known.Expected == expected && known.Evidence.SequenceEqual(versions))
        {
            facts = known.Change with { Record = current, Drift = drift };
        }
        else
        {
            List<StoredEvidence> blobs = await evidence.DownloadAsync(versions, cancellationToken);
            var kinds = versions.Select(v => EvidenceChain.KindOf(v.Name)).ToHashSet(StringComparer.Ordinal);
            facts = new KpiChange(current, expected.Verify(blobs), kinds) { Drift = drift };
        }

        long size = recordUnchanged ? known!.Size : record.Size;
        Keep(key, new Kept(recordUnchanged ? known!.Record : record.ETag, size, expected, versions, driftETag, facts));
        return facts;
    }

    /// <summary>Forgets the kept facts of a tenant's changes other than <paramref name="changeIds"/> (those the last pass read).</summary>
    public void Retain(string tenant, IReadOnlySet<string> changeIds)
    {
        foreach (var key in kept.Keys.Where(k => k.Tenant == tenant && !changeIds.Contains(k.ChangeId)))
        {
            Forget(key);
        }
    }

    void Keep((string, string) key, Kept facts)
    {
        lock (gate)
        {
            long before = kept.TryGetValue(key, out Kept? old) ? old.Size : 0;
            if (facts.Size > MaxKeptRecordBytes || keptBytes - before + facts.Size > MaxKeptBytes)
            {
                ForgetLocked(key);
                return;
            }

            kept[key] = facts;
            keptBytes += facts.Size - before;
        }
    }

    void Forget((string, string) key)
    {
        lock (gate)
        {
            ForgetLocked(key);
        }
    }

    void ForgetLocked((string, string) key)
    {
        if (kept.TryRemove(key, out Kept? old))
        {
            keptBytes -= old.Size;
        }
    }

    sealed record Kept(ETag Record, long Size, ExpectedChain Expected, IReadOnlyList<EvidenceVersion> Evidence, ETag? Drift, KpiChange Change);
}
