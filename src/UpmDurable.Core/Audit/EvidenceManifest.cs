namespace UpmDurable.Core.Audit;

/// <summary>
/// The manifest of an evidence pack: every file with its SHA-256, the chain head, and permalinks to each record. The
/// signature over the manifest covers every file through its hash; only the files under <c>records/</c> are evidence.
/// </summary>
public sealed record EvidenceManifest
{
    /// <summary>Version 2 marks every file that is not an evidence record as derived; version 1 packs carry no marks.</summary>
    public string Format { get; init; } = EvidencePack.Format;

    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required int Records { get; init; }

    public string? ChainHead { get; init; }

    public required bool ChainVerified { get; init; }

    public required string KeyId { get; init; }

    public string SignatureAlgorithm { get; init; } = "ECDSA P-256, SHA-256, DER (manifest.sig over manifest.json)";

    public required List<ManifestFile> Files { get; init; }

    public required List<Permalink> Permalinks { get; init; }
}
