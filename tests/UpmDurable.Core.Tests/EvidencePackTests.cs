using System.Text.Json;
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
}
