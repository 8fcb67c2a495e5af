using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class EvidencePackTests
{
    static (ChangeRecord Change, List<StoredEvidence> Blobs) Sample()
    {
        var blobs = new List<StoredEvidence>();
        string? prev = null;
        string[] kinds = ["plan", "preflight", "approval", "execute", "verify", "audit"];
        for (int i = 0; i < kinds.Length; i++)
        {
            EvidenceRecord record = new EvidenceRecord
            {
                Seq = i + 1, Ts = DateTimeOffset.UnixEpoch.AddSeconds(i), Kind = kinds[i], ChangeId = "chg-1", Tenant = "acme", Prev = prev,
                Body = JsonSerializer.SerializeToElement(new { step = i }),
            }.Seal();
            prev = record.Sha256;
            blobs.Add(new StoredEvidence(record.BlobName, JsonSerializer.SerializeToUtf8Bytes(record, UpmJson.Options)));
        }

        var change = new ChangeRecord
        {
            ChangeId = "chg-1", Tenant = "acme", Initiator = "alice", Status = ChangeStatuses.Completed, Phase = Phases.Audit, SubmittedAt = DateTimeOffset.UnixEpoch,
            Intent = new ChangeSpec
            {
                Request = "r", Source = "api", Tenant = "acme", Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox",
                Resources = [], ResourcesNeeded = [], MaxParallel = 1, ApprovalGroups = [], ApprovalsRequired = 0, ApprovalTimeout = "P1D",
                DriftMode = "off", DriftInterval = "PT15M", Faults = [],
            },
            Evidence = new EvidenceHead(blobs.Count, prev),
        };
        return (change, blobs);
    }

    [Fact]
    public void A_pack_verifies_with_its_key_and_not_with_another()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        using var other = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        EvidenceVerification chain = EvidenceVerifier.Verify(blobs, change.Evidence.Records, change.Evidence.ChainHead);
        byte[] pack = EvidencePack.Build(change, blobs, chain, "https://upm.example", signer, DateTimeOffset.UnixEpoch);

        Assert.True(chain.Ok);
        Assert.Empty(EvidencePack.VerifyOffline(pack, signer.PublicKeyPem));
        Assert.Contains("manifest signature does not verify with this public key", EvidencePack.VerifyOffline(pack, other.PublicKeyPem));
    }

    [Fact]
    public void Stored_evidence_that_lost_its_tail_no_longer_matches_the_index()
    {
        var (change, blobs) = Sample();
        EvidenceVerification result = EvidenceVerifier.Verify(blobs[..^1], change.Evidence.Records, change.Evidence.ChainHead);

        Assert.False(result.Ok);
        Assert.Equal(6, result.FirstBadRecord);
    }

    [Fact]
    public void A_record_moved_to_another_blob_name_is_located()
    {
        var (change, blobs) = Sample();
        blobs[1] = blobs[1] with { Name = blobs[1].Name.Replace("00000002-preflight", "00000002-approval", StringComparison.Ordinal) };

        Assert.Equal(2, EvidenceVerifier.Verify(blobs, change.Evidence.Records, change.Evidence.ChainHead).FirstBadRecord);
    }

    [Fact]
    public void Only_the_records_are_evidence_every_other_file_is_marked_derived()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        byte[] pack = Build(change, blobs, signer);
        EvidenceManifest manifest = Manifest(pack);

        Assert.Equal(EvidencePack.Format, manifest.Format);
        List<ManifestFile> records = manifest.Files.Where(f => f.Path.StartsWith("records/", StringComparison.Ordinal)).ToList();
        Assert.Equal(blobs.Count, records.Count);
        Assert.All(records, r => Assert.Null(r.Derived));
        Assert.All(manifest.Files.Except(records), f => Assert.True(f.Derived, $"{f.Path} should be marked derived"));
        Assert.Contains(manifest.Files, f => f.Path == "change.json" && f.Derived == true);

        // The marks are in the JSON a verifier reads without our code.
        JsonNode json = JsonNode.Parse(Entry(pack, EvidencePack.ManifestName))!;
        Assert.True(json["files"]!.AsArray().Single(f => (string?)f!["path"] == "approvals.json")!["derived"]!.GetValue<bool>());
        Assert.Null(json["files"]!.AsArray().First(f => ((string?)f!["path"])!.StartsWith("records/", StringComparison.Ordinal))!["derived"]);
    }

    [Fact]
    public void The_signature_covers_the_records_an_edited_record_fails_verification()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        byte[] pack = Build(change, blobs, signer);
        string name = "records/" + blobs[2].Name[(blobs[2].Name.LastIndexOf('/') + 1)..];

        byte[] edited = Rewrite(pack, name, text => text.Replace("\"step\":2", "\"step\":9", StringComparison.Ordinal));

        Assert.Contains($"{name} does not match its sha256 in the manifest", EvidencePack.VerifyOffline(edited, signer.PublicKeyPem));
    }

    [Fact]
    public void A_manifest_that_passes_a_record_off_as_derived_or_a_view_as_evidence_is_refused_even_when_signed()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        byte[] pack = Build(change, blobs, signer);

        byte[] resigned = ResignManifest(pack, signer, manifest => manifest with
        {
            Files = manifest.Files.Select(f => f.Path switch
            {
                "change.json" => f with { Derived = null },
                _ when f.Path.EndsWith("-plan.json", StringComparison.Ordinal) => f with { Derived = true },
                _ => f,
            }).ToList(),
        });

        List<string> problems = EvidencePack.VerifyOffline(resigned, signer.PublicKeyPem);
        Assert.Contains("change.json is not marked derived: only records/ files are evidence records", problems);
        Assert.Contains(problems, p => p.EndsWith("-plan.json is an evidence record but marked derived", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pack_of_the_first_format_still_verifies_without_derived_marks()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        byte[] firstFormat = ResignManifest(Build(change, blobs, signer), signer, manifest => manifest with
        {
            Format = EvidencePack.FormatWithoutDerivedMarks,
            Files = manifest.Files.Select(f => f with { Derived = null }).ToList(),
        });

        Assert.Empty(EvidencePack.VerifyOffline(firstFormat, signer.PublicKeyPem));
    }

    [Fact]
    public void Permalinks_are_built_on_the_given_base_url_only()
    {
        var (change, blobs) = Sample();
        using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
        EvidenceVerification chain = EvidenceVerifier.Verify(blobs, change.Evidence.Records, change.Evidence.ChainHead);
        EvidenceManifest manifest = Manifest(EvidencePack.Build(change, blobs, chain, "https://upm.example/", signer, DateTimeOffset.UnixEpoch));

        Assert.Equal(blobs.Count, manifest.Permalinks.Count);
        Assert.Equal("https://upm.example/api/changes/chg-1/evidence/records/1", manifest.Permalinks[0].Url);
        Assert.All(manifest.Permalinks, p => Assert.StartsWith("https://upm.example/api/changes/chg-1/evidence/records/", p.Url, StringComparison.Ordinal));
    }

    static byte[] Build(ChangeRecord change, List<StoredEvidence> blobs, EvidenceSigner signer) =>
        EvidencePack.Build(change, blobs, EvidenceVerifier.Verify(blobs, change.Evidence.Records, change.Evidence.ChainHead), "https://upm.example", signer, DateTimeOffset.UnixEpoch);

    static EvidenceManifest Manifest(byte[] pack) => JsonSerializer.Deserialize<EvidenceManifest>(Entry(pack, EvidencePack.ManifestName), UpmJson.Options)!;

    static string Entry(byte[] pack, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The pack with its manifest changed and signed again with the same key (a forger holding the key, or a bug).</summary>
    static byte[] ResignManifest(byte[] pack, EvidenceSigner signer, Func<EvidenceManifest, EvidenceManifest> change)
    {
        byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(change(Manifest(pack)), UpmJson.Options);
        return Rewrite(Rewrite(pack, EvidencePack.ManifestName, _ => Encoding.UTF8.GetString(manifest)), EvidencePack.SignatureName, null, signer.Sign(manifest));
    }

    static byte[] Rewrite(byte[] pack, string name, Func<string, string>? text, byte[]? bytes = null)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var buffer = new MemoryStream();
                using (Stream stream = entry.Open())
                {
                    stream.CopyTo(buffer);
                }

                byte[] content = entry.FullName != name ? buffer.ToArray() : bytes ?? Encoding.UTF8.GetBytes(text!(Encoding.UTF8.GetString(buffer.ToArray())));
                using Stream write = target.CreateEntry(entry.FullName).Open();
                write.Write(content);
            }
        }

        return output.ToArray();
    }
}
