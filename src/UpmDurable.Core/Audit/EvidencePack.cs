using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Audit;

/// <summary>The manifest of an evidence pack: every file with its SHA-256, the chain head, and permalinks to each record.</summary>
public sealed record EvidenceManifest
{
    public string Format { get; init; } = "upm-evidence-pack/1";

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

/// <summary>One file of a pack.</summary>
public sealed record ManifestFile(string Path, string Sha256, long Bytes);

/// <summary>A stable URL of one evidence record.</summary>
public sealed record Permalink(int Seq, string Kind, string Url);

/// <summary>Builds and verifies signed zip evidence packs.</summary>
public static class EvidencePack
{
    public const string ManifestName = "manifest.json";
    public const string SignatureName = "manifest.sig";
    public const string PublicKeyName = "evidence-public-key.pem";

    /// <summary>Builds the pack of a change: its records as stored, the plan, approvals, execution, verify and rollback reports, a signed manifest.</summary>
    public static byte[] Build(ChangeRecord change, IReadOnlyList<StoredEvidence> blobs, EvidenceVerification verification, string baseUrl, EvidenceSigner signer, DateTimeOffset now)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var permalinks = new List<Permalink>();
        foreach (StoredEvidence blob in blobs.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            string fileName = blob.Name[(blob.Name.LastIndexOf('/') + 1)..];
            files[$"records/{fileName}"] = blob.Content;
            if (int.TryParse(fileName.AsSpan(0, Math.Min(8, fileName.Length)), out int seq))
            {
                string kind = fileName[9..^".json".Length];
                permalinks.Add(new Permalink(seq, kind, $"{baseUrl.TrimEnd('/')}/api/changes/{change.ChangeId}/evidence/records/{seq}"));
            }
        }

        files["change.json"] = Json(change);
        if (change.Plan is not null)
        {
            files["plan.json"] = Json(change.Plan);
            files["plan.mmd"] = Encoding.UTF8.GetBytes(PlanGraph.Mermaid(change.Plan));
        }

        if (change.Preflight is not null)
        {
            files["preflight.json"] = Json(change.Preflight);
        }

        files["approvals.json"] = Json(change.Approvals);
        files["execution.json"] = Json(change.Execution);
        if (change.Verification is not null)
        {
            files["verification.json"] = Json(change.Verification);
        }

        files["rollback.json"] = Json(change.Rollback);
        files["audit-trace.json"] = Json(change.AuditTrace);
        files["chain-verification.json"] = Json(verification);
        files[PublicKeyName] = Encoding.ASCII.GetBytes(signer.PublicKeyPem);
        files["VERIFY.md"] = Encoding.UTF8.GetBytes(VerifyInstructions(signer.KeyId));

        var manifest = new EvidenceManifest
        {
            ChangeId = change.ChangeId,
            Tenant = change.Tenant,
            Status = change.Status,
            GeneratedAt = now,
            Records = verification.Records,
            ChainHead = verification.ChainHead ?? change.Evidence.ChainHead,
            ChainVerified = verification.Ok,
            KeyId = signer.KeyId,
            Files = files.Select(f => new ManifestFile(f.Key, CanonicalJson.Sha256(f.Value), f.Value.LongLength)).ToList(),
            Permalinks = permalinks,
        };
        byte[] manifestBytes = Json(manifest);

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                Add(zip, path, content);
            }

            Add(zip, ManifestName, manifestBytes);
            Add(zip, SignatureName, signer.Sign(manifestBytes));
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Verifies a pack offline with only the public key: the manifest signature, every file's hash, no extra or missing
    /// file, and the record chain. Returns the problems found (none: the pack is intact).
    /// </summary>
    public static List<string> VerifyOffline(byte[] pack, string publicKeyPem)
    {
        var problems = new List<string>();
        Dictionary<string, byte[]> entries;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read);
            entries = zip.Entries.ToDictionary(e => e.FullName, Read, StringComparer.Ordinal);
        }
        catch (InvalidDataException ex)
        {
            return [$"not a readable zip: {ex.Message}"];
        }

        if (!entries.TryGetValue(ManifestName, out byte[]? manifestBytes) || !entries.TryGetValue(SignatureName, out byte[]? signature))
        {
            return ["manifest.json or manifest.sig is missing"];
        }

        if (!EvidenceSigner.Verify(manifestBytes, signature, publicKeyPem))
        {
            problems.Add("manifest signature does not verify with this public key");
        }

        EvidenceManifest manifest = JsonSerializer.Deserialize<EvidenceManifest>(manifestBytes, UpmJson.Options)!;
        foreach (ManifestFile file in manifest.Files)
        {
            if (!entries.TryGetValue(file.Path, out byte[]? content))
            {
                problems.Add($"{file.Path} is listed but missing");
            }
            else if (CanonicalJson.Sha256(content) != file.Sha256)
            {
                problems.Add($"{file.Path} does not match its sha256 in the manifest");
            }
        }

        foreach (string extra in entries.Keys.Except(manifest.Files.Select(f => f.Path)).Except([ManifestName, SignatureName]))
        {
            problems.Add($"{extra} is not listed in the manifest");
        }

        var records = entries.Where(e => e.Key.StartsWith("records/", StringComparison.Ordinal))
            .Select(e => new StoredEvidence($"{manifest.Tenant}/{manifest.ChangeId}/{e.Key["records/".Length..]}", e.Value))
            .ToList();
        EvidenceVerification chain = EvidenceVerifier.Verify(records, manifest.Records, manifest.ChainHead);
        if (!chain.Ok)
        {
            problems.Add($"evidence chain broken at record {chain.FirstBadRecord}: {chain.Problem}");
        }

        return problems;
    }

    static string VerifyInstructions(string keyId) => $"""
        # Verifying this evidence pack

        Signed with key `{keyId}` (ECDSA P-256, SHA-256). Compare `{PublicKeyName}` with the key UpmDurable publishes at
        `GET /api/evidence/public-key` before trusting it.

        1. Signature of the manifest:
           openssl dgst -sha256 -verify {PublicKeyName} -signature {SignatureName} {ManifestName}
        2. Every file against the manifest (each `sha256` there is `sha256:<hex>`):
           sha256sum records/* *.json *.mmd *.md *.pem
        3. The record chain: each record's `prev` is the previous record's `sha256`; the last `sha256` is `chain_head`.
           `sha256` is the SHA-256 of the record's canonical JSON without that field (keys sorted, no whitespace).
        """;

    static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, UpmJson.Options);

    static void Add(ZipArchive zip, string path, byte[] content)
    {
        ZipArchiveEntry entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using Stream stream = entry.Open();
        stream.Write(content);
    }

    static byte[] Read(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
