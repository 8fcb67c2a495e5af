using System.IO.Compression;
using System.Text;
using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Audit;

/// <summary>Builds and verifies signed zip evidence packs.</summary>
public static class EvidencePack
{
    public const string ManifestName = "manifest.json";
    public const string SignatureName = "manifest.sig";
    public const string PublicKeyName = "evidence-public-key.pem";

    /// <summary>The manifest format this code writes.</summary>
    public const string Format = "upm-evidence-pack/2";

    /// <summary>The first format, written before files were marked derived; still verified (without the marks).</summary>
    public const string FormatWithoutDerivedMarks = "upm-evidence-pack/1";

    /// <summary>The folder of the write-once evidence records, the only files of a pack that are not derived.</summary>
    public const string RecordsFolder = "records/";

    /// <summary>Folder of the before-images in the pack: <c>before-images/{step_id}.json</c>.</summary>
    public const string BeforeImagesFolder = "before-images/";

    /// <summary>Whether a pack file is derived (anything but a write-once evidence record).</summary>
    public static bool IsDerived(string path) => !path.StartsWith(RecordsFolder, StringComparison.Ordinal);

    /// <summary>Builds the pack of a change: its records as stored, the plan, approvals, execution, verify and rollback reports, a signed manifest.</summary>
    public static byte[] Build(ChangeRecord change, IReadOnlyList<StoredEvidence> blobs, EvidenceVerification verification, string baseUrl, EvidenceSigner signer, DateTimeOffset now, IReadOnlyList<StoredEvidence>? beforeImages = null)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var permalinks = new List<Permalink>();
        foreach (StoredEvidence blob in blobs.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            string fileName = blob.Name[(blob.Name.LastIndexOf('/') + 1)..];
            files[$"{RecordsFolder}{fileName}"] = blob.Content;
            if (int.TryParse(fileName.AsSpan(0, Math.Min(8, fileName.Length)), out int seq))
            {
                string kind = fileName[9..^".json".Length];
                permalinks.Add(new Permalink(seq, kind, $"{baseUrl.TrimEnd('/')}/api/changes/{change.ChangeId}/evidence/records/{seq}"));
            }
        }

        // Before-images as stored (docs/rollback.md): each step record's before_image_sha256 is the sha256 of one of these files.
        foreach (StoredEvidence image in beforeImages ?? [])
        {
            files[$"{BeforeImagesFolder}{image.Name}"] = image.Content;
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
            Files = files.Select(f => new ManifestFile(f.Key, CanonicalJson.Sha256(f.Value), f.Value.LongLength, IsDerived(f.Key) ? true : null)).ToList(),
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

            if (manifest.Format != FormatWithoutDerivedMarks && (file.Derived == true) != IsDerived(file.Path))
            {
                problems.Add(IsDerived(file.Path)
                    ? $"{file.Path} is not marked derived: only {RecordsFolder} files are evidence records"
                    : $"{file.Path} is an evidence record but marked derived");
            }
        }

        foreach (string extra in entries.Keys.Except(manifest.Files.Select(f => f.Path)).Except([ManifestName, SignatureName]))
        {
            problems.Add($"{extra} is not listed in the manifest");
        }

        var records = entries.Where(e => !IsDerived(e.Key))
            .Select(e => new StoredEvidence($"{manifest.Tenant}/{manifest.ChangeId}/{e.Key[RecordsFolder.Length..]}", e.Value))
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

        What is evidence: only the write-once records under `records/` (kept in an immutable store, chained by hash).
        Every other file is marked `"derived": true` in the manifest: views of the change record, which changes while a
        change runs, and reports computed when this pack was built. The signature covers them too (they are what the
        service showed at `generated_at`), but where a derived file and a record disagree, the record is what happened.
        Permalinks point at the service's configured public address, never at the address a request came in on.
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
