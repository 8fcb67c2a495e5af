namespace UpmDurable.Core.Audit;

/// <summary>Checks a sequence of evidence records: every hash, every link, no gap.</summary>
public static class EvidenceChain
{
    /// <summary>Blob name of a record in the evidence container.</summary>
    public static string BlobName(string tenant, string changeId, int seq, string kind) => $"{tenant}/{changeId}/{seq:D8}-{kind}.json";

    /// <summary>The kind a blob named by <see cref="BlobName"/> holds, read back from its name.</summary>
    public static string KindOf(string blobName) => blobName[(blobName.LastIndexOf('/') + "00000000-".Length + 1)..^".json".Length];

    /// <summary>Returns the 1-based seq of the first bad record, or null when the chain holds.</summary>
    public static int? FirstBadRecord(IReadOnlyList<EvidenceRecord> records)
    {
        string? prev = null;
        for (int i = 0; i < records.Count; i++)
        {
            EvidenceRecord record = records[i];
            if (record.Seq != i + 1 || record.Prev != prev || record.ComputeHash() != record.Sha256)
            {
                return i + 1;
            }

            prev = record.Sha256;
        }

        return null;
    }
}
