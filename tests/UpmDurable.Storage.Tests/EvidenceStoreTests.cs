using System.Text.Json;
using Azure;
using UpmDurable.Core.Audit;
using UpmDurable.Storage;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Storage.Tests;

public sealed class EvidenceStoreTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly EvidenceStore store = new(fixture.Azurite.Clients());

    static EvidenceRecord Record(string changeId, int seq, string? prev, object body) => new EvidenceRecord
    {
        Seq = seq,
        Ts = new DateTimeOffset(2026, 11, 25, 12, 0, seq, TimeSpan.Zero),
        Kind = "step",
        ChangeId = changeId,
        Tenant = "acme",
        Prev = prev,
        Body = JsonSerializer.SerializeToElement(body),
    }.Seal();

    [Fact]
    public async Task Records_are_stored_in_order_and_the_chain_verifies()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        EvidenceRecord first = Record(id, 1, null, new { a = 1 });
        EvidenceRecord second = Record(id, 2, first.Sha256, new { a = 2 });
        await store.AppendAsync(second);
        await store.AppendAsync(first);

        List<EvidenceRecord> stored = await store.ListAsync("acme", id);

        Assert.Equal([1, 2], stored.Select(r => r.Seq));
        Assert.Null(EvidenceChain.FirstBadRecord(stored));
    }

    [Fact]
    public async Task Rewriting_the_same_record_is_a_no_op()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        EvidenceRecord record = Record(id, 1, null, new { a = 1 });
        await store.AppendAsync(record);
        await store.AppendAsync(record);

        Assert.Single(await store.ListAsync("acme", id));
    }

    [Fact]
    public async Task A_different_record_at_the_same_seq_is_refused_and_the_original_kept()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        EvidenceRecord original = Record(id, 1, null, new { a = 1 });
        await store.AppendAsync(original);

        await Assert.ThrowsAsync<EvidenceConflictException>(() => store.AppendAsync(Record(id, 1, null, new { a = "forged" })));

        EvidenceRecord stored = Assert.Single(await store.ListAsync("acme", id));
        Assert.Equal(original.Sha256, stored.Sha256);
    }

    [Fact]
    public async Task A_stored_record_refuses_a_second_conditional_create()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        EvidenceRecord record = Record(id, 1, null, new { a = 1 });
        await store.AppendAsync(record);

        var blob = fixture.Azurite.Clients().EvidenceContainer.GetBlobClient(record.BlobName);
        var conditional = new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All } };
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("{}"), conditional));
        Assert.Equal(409, ex.Status);
    }
}
