using UpmDurable.Core.Model;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Storage.Tests;

/// <summary>
/// Locks and ownership of resources on a shared target (cli: one storage account, azure: one subscription) are one
/// namespace across tenants; the sandbox, simulated per tenant, keeps them per tenant.
/// </summary>
public sealed class SharedTargetLockTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly ChangeStore changes = new(fixture.Azurite.Clients());

    ResourceLocks Locks => new(fixture.Azurite.Clients(), changes);

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    static string NewChangeId() => "chg-" + Guid.NewGuid().ToString("N");

    // The change's index row, which the lock's staleness check reads (a running holder keeps its lock).
    async Task<string> ChangeAsync(string tenant, string status)
    {
        string id = NewChangeId();
        await changes.SaveAsync(new ChangeRecord
        {
            ChangeId = id,
            Tenant = tenant,
            Initiator = "alice",
            Status = status,
            Phase = Phases.Execute,
            SubmittedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UtcNow,
            Intent = new ChangeSpec
            {
                Request = "r", Source = "api", Tenant = tenant, Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "cli",
                Resources = [], ResourcesNeeded = [], MaxParallel = 1, ApprovalGroups = [], ApprovalsRequired = 0, ApprovalTimeout = "P1D",
                DriftMode = "off", DriftInterval = "PT15M", Faults = [],
            },
        });
        return id;
    }

    async Task FinishAsync(string tenant, string changeId)
    {
        ChangeRecord record = (await changes.GetAsync(tenant, changeId))!;
        await changes.SaveAsync(record with { Status = ChangeStatuses.Completed, UpdatedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
    }

    [Theory]
    [InlineData("sandbox", false)]
    [InlineData("cli", true)]
    [InlineData("azure", true)]
    [InlineData("some-future-provider", true)]
    public void Only_the_sandbox_is_per_tenant_and_an_unknown_provider_is_shared(string provider, bool shared)
    {
        Assert.Equal(shared, ResourceNamespace.IsShared(provider));
        Assert.Equal(shared ? ResourceNamespace.Shared : "acme", new ResourceKey(provider, "t", "n").PartitionOf("acme"));
    }

    [Fact]
    public async Task A_container_locked_by_a_running_change_of_one_tenant_cannot_be_taken_by_another_who_is_not_told_its_id()
    {
        var container = new ResourceKey("cli", "az_storage_container", Unique("x-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [container]));

        ResourceHolder held = Assert.Single(await Locks.AcquireAsync("globex", b, [container]));

        Assert.Equal(container.ToString(), held.Resource);
        Assert.Null(held.ChangeId);
        Assert.Equal("held by a change of another tenant", held.HeldBy);
        Assert.DoesNotContain(a, held.ToString(), StringComparison.Ordinal);

        // A change of the holder's own tenant is told which change holds it.
        string a2 = await ChangeAsync("acme", ChangeStatuses.Running);
        Assert.Equal(a, Assert.Single(await Locks.AcquireAsync("acme", a2, [container])).ChangeId);
    }

    [Fact]
    public async Task All_or_nothing_holds_across_tenants_the_other_tenants_free_resource_is_given_back()
    {
        var shared = new ResourceKey("cli", "az_storage_container", Unique("x-"));
        var free = new ResourceKey("cli", "az_storage_queue", Unique("q-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [shared]));

        Assert.Single(await Locks.AcquireAsync("globex", b, [shared, free]));

        // B gave back the queue it took: A (another tenant) can take it at once.
        Assert.Empty(await Locks.AcquireAsync("acme", a, [free]));
    }

    [Fact]
    public async Task Once_the_holder_releases_the_other_tenant_takes_the_lock()
    {
        var container = new ResourceKey("cli", "az_storage_container", Unique("x-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [container]));
        Assert.Single(await Locks.AcquireAsync("globex", b, [container]));

        await Locks.ReleaseAsync("acme", a, [container], a);

        Assert.Empty(await Locks.AcquireAsync("globex", b, [container]));
        string a2 = await ChangeAsync("acme", ChangeStatuses.Running);
        Assert.Null(Assert.Single(await Locks.AcquireAsync("acme", a2, [container])).ChangeId);
    }

    [Fact]
    public async Task A_lock_left_by_a_finished_change_of_another_tenant_is_stale_read_from_that_tenants_index()
    {
        var container = new ResourceKey("cli", "az_storage_container", Unique("x-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [container]));
        Assert.Single(await Locks.AcquireAsync("globex", b, [container]));

        await FinishAsync("acme", a); // finished without releasing (a crash between the two)

        Assert.Empty(await Locks.AcquireAsync("globex", b, [container]));
    }

    [Fact]
    public async Task Sandbox_resources_of_the_same_name_in_two_tenants_do_not_conflict()
    {
        var vm = new ResourceKey("sandbox", "vm", Unique("web-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);

        Assert.Empty(await Locks.AcquireAsync("acme", a, [vm]));
        Assert.Empty(await Locks.AcquireAsync("globex", b, [vm]));

        await Locks.ReleaseAsync("acme", a, [vm], a);
        Assert.Equal(a, (await Locks.OwnersAsync("acme", [vm]))[vm]!.ChangeId);
        Assert.Null((await Locks.OwnersAsync("globex", [vm]))[vm]);
    }

    [Fact]
    public async Task Ownership_of_a_shared_resource_is_the_last_completed_change_of_any_tenant_named_without_its_id_to_others()
    {
        var container = new ResourceKey("cli", "az_storage_container", Unique("x-"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [container]));
        await Locks.ReleaseAsync("acme", a, [container], a);

        Assert.Equal(a, (await Locks.OwnersAsync("acme", [container]))[container]!.ChangeId);
        ResourceOwner seenByB = (await Locks.OwnersAsync("globex", [container]))[container]!;
        Assert.Null(seenByB.ChangeId);
        Assert.Equal("a change of another tenant", seenByB.ToString());

        // B's change completes on it later: A's change is superseded (its owner is no longer A's change).
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("globex", b, [container]));
        await Locks.ReleaseAsync("globex", b, [container], b);

        Assert.Equal(b, (await Locks.OwnersAsync("globex", [container]))[container]!.ChangeId);
        Assert.Null((await Locks.OwnersAsync("acme", [container]))[container]!.ChangeId);
    }

    [Fact]
    public async Task Releasing_another_tenants_lock_without_an_owner_does_nothing()
    {
        var container = new ResourceKey("azure", "storage_account", Unique("sa"));
        string a = await ChangeAsync("acme", ChangeStatuses.Running);
        string b = await ChangeAsync("globex", ChangeStatuses.Running);
        Assert.Empty(await Locks.AcquireAsync("acme", a, [container]));

        await Locks.ReleaseAsync("globex", b, [container], null);

        Assert.Single(await Locks.AcquireAsync("globex", b, [container]));
    }
}
