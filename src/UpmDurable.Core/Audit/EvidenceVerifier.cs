using System.Text;
using System.Text.Json;
using UpmDurable.Core.Json;

namespace UpmDurable.Core.Audit;

/// <summary>Verifies stored evidence blobs: names, hashes, links, no gap, and agreement with the chain head on the change index.</summary>
public static class EvidenceVerifier
{
    /// <summary>
    /// Checks every blob (in name order) and the chain. Detects an edited record (hash), a deleted one (gap or a head that
    /// no longer matches the index), and reordered ones (a record whose seq or kind differs from its blob name).
    /// </summary>
    public static EvidenceVerification Verify(IReadOnlyList<StoredEvidence> blobs, int expectedRecords, string? expectedHead)
    {
        string? prev = null;
        var ordered = blobs.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            int seq = i + 1;
            EvidenceRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<EvidenceRecord>(ordered[i].Content, UpmJson.Options);
            }
            catch (JsonException)
            {
                return Bad(seq, ordered.Count, "record is not valid JSON");
            }

            if (record is null)
            {
                return Bad(seq, ordered.Count, "record is empty");
            }

            string name = ordered[i].Name;
            string expectedName = $"{seq:D8}-{record.Kind}.json";
            if (!name.EndsWith("/" + expectedName, StringComparison.Ordinal) || record.Seq != seq)
            {
                return Bad(seq, ordered.Count, $"blob {name} holds record seq {record.Seq} ({record.Kind}): missing or reordered record");
            }

            if (record.ComputeHash() != record.Sha256)
            {
                return Bad(seq, ordered.Count, $"record {seq} was altered: its content does not match its sha256");
            }

            if (record.Prev != prev)
            {
                return Bad(seq, ordered.Count, $"record {seq} does not link to record {seq - 1}");
            }

            prev = record.Sha256;
        }

        if (ordered.Count < expectedRecords || (expectedHead is not null && prev != expectedHead))
        {
            return Bad(Math.Min(ordered.Count, expectedRecords) + 1, ordered.Count, $"the change index records {expectedRecords} record(s) ending in {expectedHead}; storage holds {ordered.Count} ending in {prev}: records were removed");
        }

        return new EvidenceVerification(true, ordered.Count, null, null, prev);
    }

    static EvidenceVerification Bad(int seq, int records, string problem) => new(false, records, seq, problem, null);

    /// <summary>The UTF-8 text of a stored record (for packs).</summary>
    public static string Text(StoredEvidence blob) => Encoding.UTF8.GetString(blob.Content);
}
