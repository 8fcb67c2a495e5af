using System.Text.Json;
using UpmDurable.Core.Json;

namespace UpmDurable.Core.Audit;

/// <summary>One write-once record of a change's hash-chained audit trail.</summary>
public sealed record EvidenceRecord
{
    public required int Seq { get; init; }

    public required DateTimeOffset Ts { get; init; }

    public required string Kind { get; init; }

    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>The previous record's <see cref="Sha256"/>, or null for the first record.</summary>
    public string? Prev { get; init; }

    public required JsonElement Body { get; init; }

    /// <summary>
    /// The orchestration version of the change that wrote the record. Hashed like every field; absent (not null) when
    /// unset, so records written before the field existed hash as they did.
    /// </summary>
    public string? OrchestrationVersion { get; init; }

    /// <summary><c>sha256:</c> of the canonical JSON of this record without this field: it covers every other field.</summary>
    public string Sha256 { get; init; } = string.Empty;

    /// <summary>
    /// True when the change is simulated (nothing real ran), false when it runs on a real provider; absent on records
    /// written before the field existed. Covered by <see cref="Sha256"/>; an absent field hashes as before.
    /// </summary>
    public bool? Simulated { get; init; }

    /// <summary>Seals a record: computes its hash over everything else.</summary>
    public EvidenceRecord Seal() => this with { Sha256 = ComputeHash() };

    /// <summary>Recomputes the hash; a record whose stored hash differs was altered.</summary>
    public string ComputeHash() => CanonicalJson.Hash(this with { Sha256 = string.Empty });

    /// <summary>The blob name: <c>{tenant}/{change_id}/{seq:D8}-{kind}.json</c>.</summary>
    public string BlobName => EvidenceChain.BlobName(Tenant, ChangeId, Seq, Kind);
}
