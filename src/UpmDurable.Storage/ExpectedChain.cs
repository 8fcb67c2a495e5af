using UpmDurable.Core.Audit;
using UpmDurable.Core.Model;

namespace UpmDurable.Storage;

/// <summary>
/// How long a change's evidence chain must be and the hash it must end in. The index row is the authority (a removed
/// tail is caught against it); a change without one falls back to its record's own head.
/// </summary>
public sealed record ExpectedChain(int Records, string? Head)
{
    public static ExpectedChain Of(ChangeIndexEntry? index, ChangeRecord record) =>
        new(index?.EvidenceRecords ?? record.Evidence.Records, index?.ChainHead ?? record.Evidence.ChainHead);

    /// <summary>Checks the stored blobs against this length and head.</summary>
    public EvidenceVerification Verify(IReadOnlyList<StoredEvidence> blobs) => EvidenceVerifier.Verify(blobs, Records, Head);
}
