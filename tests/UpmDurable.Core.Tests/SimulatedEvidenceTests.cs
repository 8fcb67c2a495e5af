using System.Text;
using System.Text.Json;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>The <c>simulated</c> field of evidence records: covered by the hash, and records written before it still verify.</summary>
public sealed class SimulatedEvidenceTests
{
    static EvidenceRecord Record(int seq, string? prev, bool? simulated) => new EvidenceRecord
    {
        Seq = seq,
        Ts = new DateTimeOffset(2026, 11, 25, 12, 0, seq, TimeSpan.Zero),
        Kind = "plan",
        ChangeId = "chg-1",
        Tenant = "acme",
        Prev = prev,
        Body = JsonSerializer.SerializeToElement(new { n = seq }),
        Simulated = simulated,
    }.Seal();

    static StoredEvidence Blob(EvidenceRecord record) => new(record.BlobName, Encoding.UTF8.GetBytes(UpmJson.Serialize(record)));

    [Fact]
    public void A_record_written_before_the_field_existed_still_verifies_and_a_chain_may_gain_the_field_midway()
    {
        // The exact bytes an older build wrote: no simulated field. Its hash is computed over what it holds.
        const string OldJson = """{"seq":1,"ts":"2026-11-25T12:00:01+00:00","kind":"plan","change_id":"chg-1","tenant":"acme","body":{"n":1},"sha256":"HASH"}""";
        EvidenceRecord parsed = JsonSerializer.Deserialize<EvidenceRecord>(OldJson.Replace("HASH", "x", StringComparison.Ordinal), UpmJson.Options)!;
        Assert.Null(parsed.Simulated);
        string hash = parsed.ComputeHash();
        Assert.Equal(Record(1, null, null).Sha256, hash);
        var old = new StoredEvidence("acme/chg-1/00000001-plan.json", Encoding.UTF8.GetBytes(OldJson.Replace("HASH", hash, StringComparison.Ordinal)));

        // An in-flight change upgraded: the next record says simulated, the chain holds across both.
        EvidenceRecord next = Record(2, hash, true) with { Kind = "plan" };
        next = next.Seal();
        EvidenceVerification verification = EvidenceVerifier.Verify([old, Blob(next) with { Name = "acme/chg-1/00000002-plan.json" }], 2, next.Sha256);

        Assert.True(verification.Ok, verification.Problem);
        Assert.DoesNotContain("simulated", Encoding.UTF8.GetString(old.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulated_field_is_covered_by_the_hash()
    {
        EvidenceRecord simulated = Record(1, null, true);
        EvidenceRecord real = Record(1, null, false);
        EvidenceRecord unsaid = Record(1, null, null);

        Assert.Equal(3, new[] { simulated.Sha256, real.Sha256, unsaid.Sha256 }.Distinct().Count());
        Assert.Contains("\"simulated\":true", UpmJson.Serialize(simulated), StringComparison.Ordinal);
        Assert.Contains("\"simulated\":false", UpmJson.Serialize(real), StringComparison.Ordinal);

        // Saying a simulated record was real, after the fact, breaks the chain.
        EvidenceRecord relabelled = simulated with { Simulated = false };
        Assert.Equal(1, EvidenceChain.FirstBadRecord([relabelled]));
        Assert.True(EvidenceVerifier.Verify([Blob(simulated)], 1, simulated.Sha256).Ok);
        Assert.False(EvidenceVerifier.Verify([Blob(relabelled)], 1, simulated.Sha256).Ok);
    }
}
