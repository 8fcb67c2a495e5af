using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Kpis;
using UpmDurable.Core.Model;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Storage.Tests;

/// <summary>
/// KPI facts kept between passes never hide a change in storage: an edited, deleted or added evidence blob, a moved index
/// row, a saved or deleted record all show in the next read; only when nothing changed is the old verification reused.
/// </summary>
public sealed class KpiFactsTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly StorageClients clients = fixture.Azurite.Clients();

    ChangeStore Changes => new(clients);

    EvidenceStore Evidence => new(clients);

    static EvidenceRecord Sealed(string changeId, int seq, string? prev, string kind) => new EvidenceRecord
    {
        Seq = seq,
        Ts = new DateTimeOffset(2026, 12, 2, 7, 0, seq, TimeSpan.Zero),
        Kind = kind,
        ChangeId = changeId,
        Tenant = "acme",
        Prev = prev,
        Body = JsonSerializer.SerializeToElement(new { seq }),
    }.Seal();

    static ChangeRecord Record(string id, string status, EvidenceRecord last, string request = "r") => new()
    {
        ChangeId = id,
        Tenant = "acme",
        Initiator = "alice",
        Status = status,
        Phase = Phases.Plan,
        SubmittedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch.AddSeconds(last.Seq),
        Intent = new ChangeSpec
        {
            Request = request, Source = "api", Tenant = "acme", Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox",
            Resources = [], ResourcesNeeded = [], MaxParallel = 1, ApprovalGroups = [], ApprovalsRequired = 0, ApprovalTimeout = "P1D",
            DriftMode = "off", DriftInterval = "PT15M", Faults = [],
        },
        Evidence = new EvidenceHead(last.Seq, last.Sha256),
    };

    // A change with two chained evidence records, stored as the workflow stores one.
    async Task<(string Id, EvidenceRecord First, EvidenceRecord Second)> StoredChangeAsync(string status = ChangeStatuses.AwaitingApproval)
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        EvidenceRecord first = Sealed(id, 1, null, "plan");
        EvidenceRecord second = Sealed(id, 2, first.Sha256, "preflight");
        await Evidence.AppendAsync(first);
        await Evidence.AppendAsync(second);
        Assert.True(await Changes.CreateAsync(Record(id, status, second), "sha256:req"));
        return (id, first, second);
    }

    BlobClient EvidenceBlob(EvidenceRecord record) => clients.EvidenceContainer.GetBlobClient(record.BlobName);

    [Fact]
    public async Task Unchanged_storage_reuses_the_verification_and_the_facts_equal_a_fresh_read()
    {
        var (id, _, _) = await StoredChangeAsync();
        var facts = new KpiFacts(Changes, Evidence);

        KpiChange first = (await facts.ReadAsync("acme", id))!;
        KpiChange again = (await facts.ReadAsync("acme", id))!;
        KpiChange fresh = (await new KpiFacts(Changes, Evidence).ReadAsync("acme", id))!;

        Assert.True(first.Evidence!.Ok, first.Evidence.Problem);
        Assert.Equal(["plan", "preflight"], first.EvidenceKinds.Order(StringComparer.Ordinal));
        Assert.Same(first.Evidence, again.Evidence);
        Assert.Equal(fresh.Evidence, again.Evidence);
        Assert.Equal(fresh.Record.Status, again.Record.Status);
        Assert.Equal(1, facts.KeptCount);
    }

    [Fact]
    public async Task An_evidence_blob_edited_after_a_pass_fails_the_next_pass()
    {
        var (id, first, _) = await StoredChangeAsync();
        var facts = new KpiFacts(Changes, Evidence);
        Assert.True((await facts.ReadAsync("acme", id))!.Evidence!.Ok);

        string edited = Encoding.UTF8.GetString((await EvidenceBlob(first).DownloadContentAsync()).Value.Content).Replace("\"seq\":1}", "\"seq\":9}", StringComparison.Ordinal);
        await EvidenceBlob(first).UploadAsync(BinaryData.FromString(edited), overwrite: true);

        EvidenceVerification after = (await facts.ReadAsync("acme", id))!.Evidence!;
        Assert.False(after.Ok);
        Assert.Equal(1, after.FirstBadRecord);
    }

    [Fact]
    public async Task An_evidence_blob_deleted_or_added_after_a_pass_shows_in_the_next_pass()
    {
        var (id, _, second) = await StoredChangeAsync();
        var facts = new KpiFacts(Changes, Evidence);
        Assert.True((await facts.ReadAsync("acme", id))!.Evidence!.Ok);

        await EvidenceBlob(second).DeleteAsync();
        Assert.False((await facts.ReadAsync("acme", id))!.Evidence!.Ok);

        await Evidence.AppendAsync(second);
        Assert.True((await facts.ReadAsync("acme", id))!.Evidence!.Ok);
        await Evidence.AppendAsync(Sealed(id, 3, second.Sha256, "approval"));
        KpiChange added = (await facts.ReadAsync("acme", id))!;
        Assert.False(added.Evidence!.Ok, "a third record beyond the index row's chain length is not the chain the index names");
        Assert.Contains("approval", added.EvidenceKinds);
    }

    [Fact]
    public async Task A_record_saved_after_a_pass_is_read_anew_and_a_deleted_one_is_forgotten()
    {
        var (id, _, second) = await StoredChangeAsync();
        var facts = new KpiFacts(Changes, Evidence);
        KpiChange before = (await facts.ReadAsync("acme", id))!;

        await Changes.SaveAsync(Record(id, ChangeStatuses.Rejected, second, request: "r2") with { UpdatedAt = DateTimeOffset.UnixEpoch.AddHours(1) });
        KpiChange after = (await facts.ReadAsync("acme", id))!;

        Assert.Equal(ChangeStatuses.Rejected, after.Record.Status);
        Assert.Equal("r2", after.Record.Intent.Request);
        Assert.Same(before.Evidence, after.Evidence);

        await clients.RecordContainer.DeleteBlobAsync($"acme/{id}.json");
        Assert.Null(await facts.ReadAsync("acme", id));
        Assert.Equal(0, facts.KeptCount);
    }

    [Fact]
    public async Task Retain_forgets_the_changes_a_pass_did_not_read()
    {
        var (a, _, _) = await StoredChangeAsync();
        var (b, _, _) = await StoredChangeAsync();
        var facts = new KpiFacts(Changes, Evidence);
        await facts.ReadAsync("acme", a);
        await facts.ReadAsync("acme", b);

        facts.Retain("acme", new HashSet<string>([b], StringComparer.Ordinal));

        Assert.Equal(1, facts.KeptCount);
        Assert.NotNull(await facts.ReadAsync("acme", a));
        Assert.Equal(2, facts.KeptCount);
    }
}
