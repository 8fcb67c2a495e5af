using System.Text.Json;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class EvidenceChainTests
{
    static List<EvidenceRecord> Chain(int count)
    {
        var records = new List<EvidenceRecord>();
        string? prev = null;
        for (int seq = 1; seq <= count; seq++)
        {
            EvidenceRecord record = new EvidenceRecord
            {
                Seq = seq,
                Ts = new DateTimeOffset(2026, 11, 25, 12, 0, seq, TimeSpan.Zero),
                Kind = "step",
                ChangeId = "chg-1",
                Tenant = "acme",
                Prev = prev,
                Body = JsonSerializer.SerializeToElement(new { n = seq }),
            }.Seal();
            records.Add(record);
            prev = record.Sha256;
        }

        return records;
    }

    [Fact]
    public void Intact_chain_verifies() => Assert.Null(EvidenceChain.FirstBadRecord(Chain(5)));

    [Fact]
    public void Edited_record_is_located()
    {
        var records = Chain(5);
        records[2] = records[2] with { Body = JsonSerializer.SerializeToElement(new { n = 99 }) };
        Assert.Equal(3, EvidenceChain.FirstBadRecord(records));
    }

    [Fact]
    public void Deleted_record_is_located()
    {
        var records = Chain(5);
        records.RemoveAt(1);
        Assert.Equal(2, EvidenceChain.FirstBadRecord(records));
    }

    [Fact]
    public void Reordered_records_are_located()
    {
        var records = Chain(5);
        (records[3], records[4]) = (records[4], records[3]);
        Assert.Equal(4, EvidenceChain.FirstBadRecord(records));
    }

    [Fact]
    public void Canonical_json_ignores_key_order_and_number_spelling()
    {
        var a = JsonDocument.Parse("""{"b": 1.0, "a": {"y": [1, 2], "x": "\u00e9"}}""").RootElement;
        var b = JsonDocument.Parse("""{"a": {"x": "é", "y": [1, 2.0]}, "b": 1}""").RootElement;
        Assert.Equal(CanonicalJson.Sha256(CanonicalJson.ToBytes(a)), CanonicalJson.Sha256(CanonicalJson.ToBytes(b)));
        Assert.Equal("""{"a":{"x":"é","y":[1,2]},"b":1}""", System.Text.Encoding.UTF8.GetString(CanonicalJson.ToBytes(a)));
    }
}
