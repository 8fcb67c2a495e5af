using System.Text;
using System.Text.Json;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>
/// <c>orchestration_version</c> on evidence records: covered by the hash when present, absent (and the hash unchanged)
/// on records written before it existed.
/// </summary>
public sealed class EvidenceVersionTests
{
    static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 1, TimeSpan.Zero);

    static EvidenceRecord Record(string? version, string? prev = null) => new EvidenceRecord
    {
        Seq = prev is null ? 1 : 2,
        Ts = At,
        Kind = "submitted",
        ChangeId = "chg-1",
        Tenant = "acme",
        Prev = prev,
        Body = JsonSerializer.SerializeToElement(new { status = "running" }),
        OrchestrationVersion = version,
    }.Seal();

    [Fact]
    public void A_record_without_a_version_hashes_exactly_as_before_the_field_existed()
    {
        EvidenceRecord record = Record(version: null);

        // The rule before the field: the canonical JSON of seq, ts, kind, change_id, tenant, prev (absent when null), body,
        // blob_name and an empty sha256.
        string before = CanonicalJson.Hash(new
        {
            seq = 1,
            ts = At,
            kind = "submitted",
            change_id = "chg-1",
            tenant = "acme",
            body = new { status = "running" },
            blob_name = "acme/chg-1/00000001-submitted.json",
            sha256 = string.Empty,
        });

        Assert.Equal(before, record.Sha256);
        Assert.DoesNotContain("orchestration_version", JsonSerializer.Serialize(record, UpmJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_of_a_pre_versioning_record_then_a_versioned_one_verifies_from_storage()
    {
        EvidenceRecord old = Record(version: null);
        EvidenceRecord versioned = Record("1.0.0", prev: old.Sha256);

        EvidenceVerification result = EvidenceVerifier.Verify([Stored(old), Stored(versioned)], 2, versioned.Sha256);

        Assert.True(result.Ok, result.Problem);
        Assert.Contains("\"orchestration_version\":\"1.0.0\"", Encoding.UTF8.GetString(Stored(versioned).Content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"orchestration_version\":\"1.0.0\"", "\"orchestration_version\":\"2.0.0\"")]
    [InlineData(",\"orchestration_version\":\"1.0.0\"", "")]
    public void Changing_or_removing_a_records_version_is_detected(string stored, string altered)
    {
        EvidenceRecord record = Record("1.0.0");
        StoredEvidence blob = Stored(record);
        string text = Encoding.UTF8.GetString(blob.Content);
        Assert.Contains(stored, text, StringComparison.Ordinal);

        var tampered = new StoredEvidence(blob.Name, Encoding.UTF8.GetBytes(text.Replace(stored, altered, StringComparison.Ordinal)));
        EvidenceVerification result = EvidenceVerifier.Verify([tampered], 1, null);

        Assert.False(result.Ok);
        Assert.Equal(1, result.FirstBadRecord);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    static StoredEvidence Stored(EvidenceRecord record) =>
        new(record.BlobName, JsonSerializer.SerializeToUtf8Bytes(record, UpmJson.Options));
}
