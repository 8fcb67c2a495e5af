using UpmDurable.Core.Model;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Storage.Tests;

public sealed class ChangeStoreTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly ChangeStore store = new(fixture.Azurite.Clients());

    static ChangeRecord Record(string id, string tenant, string status, int evidence) => new()
    {
        ChangeId = id,
        Tenant = tenant,
        Initiator = "alice",
        Status = status,
        Phase = Phases.Plan,
        SubmittedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch.AddSeconds(evidence),
        Intent = new ChangeSpec
        {
            Request = "r", Source = "api", Tenant = tenant, Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox",
            Resources = [], ResourcesNeeded = [], MaxParallel = 1, ApprovalGroups = [], ApprovalsRequired = 0, ApprovalTimeout = "P1D",
            DriftMode = "off", DriftInterval = "PT15M", Faults = [],
        },
        Evidence = new EvidenceHead(evidence, evidence == 0 ? null : $"sha256:{evidence}"),
    };

    [Fact]
    public async Task A_late_save_of_an_older_version_never_overwrites_a_newer_one()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(Record(id, "acme", ChangeStatuses.Completed, 5));
        await store.SaveAsync(Record(id, "acme", ChangeStatuses.Running, 3));

        Assert.Equal(ChangeStatuses.Completed, (await store.GetAsync("acme", id))!.Status);
        Assert.Equal(5, (await store.GetIndexAsync("acme", id))!.EvidenceRecords);
    }

    [Fact]
    public async Task Records_are_tenant_scoped()
    {
        string id = "chg-" + Guid.NewGuid().ToString("N");
        await store.CreateAsync(Record(id, "acme", ChangeStatuses.Submitted, 0), "sha256:x");

        Assert.NotNull(await store.GetAsync("acme", id));
        Assert.Null(await store.GetAsync("globex", id));
        Assert.Null(await store.GetIndexAsync("globex", id));
    }

    [Fact]
    public async Task An_idempotency_key_binds_to_the_first_change_and_its_request_hash()
    {
        string key = Guid.NewGuid().ToString("N");
        var first = await store.ClaimIdempotencyKeyAsync("acme", key, "chg-1", "sha256:a");
        var second = await store.ClaimIdempotencyKeyAsync("acme", key, "chg-2", "sha256:b");

        Assert.Equal(("chg-1", "sha256:a"), first);
        Assert.Equal(("chg-1", "sha256:a"), second);
    }

    [Fact]
    public async Task Active_changes_are_listed_across_tenants_and_final_ones_are_not()
    {
        string running = "chg-" + Guid.NewGuid().ToString("N");
        string done = "chg-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(Record(running, "t1", ChangeStatuses.AwaitingApproval, 1));
        await store.SaveAsync(Record(done, "t2", ChangeStatuses.Completed, 1));

        var active = await store.ListActiveAsync();

        Assert.Contains(active, c => c.ChangeId == running);
        Assert.DoesNotContain(active, c => c.ChangeId == done);
    }
}
