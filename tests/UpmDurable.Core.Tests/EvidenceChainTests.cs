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

public sealed class CanonicalJsonFastPathTests
{
    sealed record Sample(string Zeta, int Alpha, Dictionary<string, JsonElement>? Map, double Ratio, string Text);

    [Theory]
    [InlineData(1.0, "plain")]
    [InlineData(2.5, "plain")]
    [InlineData(3.0, "e\u0301")]
    public void Typed_values_hash_exactly_like_their_canonical_element(double ratio, string text)
    {
        var map = new Dictionary<string, JsonElement> { ["b"] = JsonSerializer.SerializeToElement(1), ["a"] = JsonSerializer.SerializeToElement("x") };
        var value = new Sample("z", 7, map, ratio, text);

        byte[] expected = CanonicalJson.ToBytes(JsonSerializer.SerializeToElement(value, UpmJson.Options));

        Assert.Equal(expected, CanonicalJson.ToBytes(value));
    }
}
