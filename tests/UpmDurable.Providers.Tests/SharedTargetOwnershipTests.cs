using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Providers.Cli;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Providers.Tests;

/// <summary>
/// The cli provider's target (one storage account) is shared by every tenant, and so is its ledger: a resource one
/// tenant's change created is not another tenant's to delete, and that tenant is not told the creating change's id.
/// </summary>
public sealed class SharedTargetOwnershipTests(ServiceAndTargetFixture fixture) : IClassFixture<ServiceAndTargetFixture>, IDisposable
{
    CliProvider? provider;

    CliProvider Cli => provider ??= TargetCli.For(fixture, null);

    BlobServiceClient Blobs => new(fixture.Target.ConnectionString);

    public void Dispose() => provider?.Dispose();

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    static string NewChangeId() => "chg-" + Guid.NewGuid().ToString("N");

    static PlanStep StepOf(string tenant, object resource)
    {
        string json = JsonSerializer.Serialize(new { request = "shared target test", tenant, target = new { provider = "cli", resources = new[] { resource } } });
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), null, MutatingCommandCatalog.Catalog);
        return Assert.Single(PlanCompiler.Compile(spec).Steps);
    }

    static StepRequest Request(string tenant, string changeId, PlanStep step) => new() { Tenant = tenant, ChangeId = changeId, Step = step, Provider = "cli" };

    [AzCliFact]
    public async Task Another_tenants_compensation_leaves_a_container_this_tenant_created_in_place()
    {
        string name = Unique("x-");
        string a = NewChangeId();
        string b = NewChangeId();
        Assert.Equal("created", (await Cli.ApplyAsync(Request("acme", a, StepOf("acme", new { type = "az_storage_container", name })), CancellationToken.None)).Outcome);
        PlanStep stepOfB = StepOf("globex", new { type = "az_storage_container", name });

        Assert.Equal("unchanged", (await Cli.ApplyAsync(Request("globex", b, stepOfB), CancellationToken.None)).Outcome);
        StepRecord undone = await Cli.CompensateAsync(Request("globex", b, stepOfB), CancellationToken.None);

        Assert.Equal("kept", undone.Outcome);
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }

    [AzCliFact]
    public async Task Another_tenants_compensation_leaves_a_table_this_tenant_created_and_is_not_told_who()
    {
        var tables = new TableServiceClient(fixture.Target.ConnectionString);
        string name = Unique("t");
        string a = NewChangeId();
        string b = NewChangeId();
        PlanStep stepOfA = StepOf("acme", new { type = "az_storage_table", name });
        PlanStep stepOfB = StepOf("globex", new { type = "az_storage_table", name });
        Assert.Equal("created", (await Cli.ApplyAsync(Request("acme", a, stepOfA), CancellationToken.None)).Outcome);

        Assert.Equal("unchanged", (await Cli.ApplyAsync(Request("globex", b, stepOfB), CancellationToken.None)).Outcome);
        Assert.Null(Assert.IsType<ResourceState>(await Cli.ReadAsync("globex", "az_storage_table", name, CancellationToken.None)).CreatedBy);
        StepRecord undone = await Cli.CompensateAsync(Request("globex", b, stepOfB), CancellationToken.None);

        Assert.Equal("kept", undone.Outcome);
        Assert.Contains("another tenant", undone.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(a, JsonSerializer.Serialize(undone), StringComparison.Ordinal);
        Assert.Single(tables.Query(t => t.Name == name));

        // The creating tenant still owns it: its own compensation deletes it.
        Assert.Equal(a, Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "az_storage_table", name, CancellationToken.None)).CreatedBy);
        Assert.Equal("deleted", (await Cli.CompensateAsync(Request("acme", a, stepOfA), CancellationToken.None)).Outcome);
        Assert.Empty(tables.Query(t => t.Name == name));
    }

    [AzCliFact]
    public async Task A_command_step_first_applied_by_one_tenant_is_not_rolled_back_by_another()
    {
        string name = Unique("x-");
        object command = new
        {
            type = "command",
            name = "make-" + name,
            command = $"az storage container create --name {name} --output json",
            rollback = $"az storage container delete --name {name} --output json",
        };
        string a = NewChangeId();
        string b = NewChangeId();
        PlanStep stepOfA = StepOf("acme", command);
        PlanStep stepOfB = StepOf("globex", command);
        Assert.Equal("created", (await Cli.ApplyAsync(Request("acme", a, stepOfA), CancellationToken.None)).Outcome);

        Assert.Equal("updated", (await Cli.ApplyAsync(Request("globex", b, stepOfB), CancellationToken.None)).Outcome);
        StepRecord undone = await Cli.CompensateAsync(Request("globex", b, stepOfB), CancellationToken.None);

        Assert.Equal("kept", undone.Outcome);
        Assert.Contains("first applied by a change of another tenant", undone.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(a, JsonSerializer.Serialize(undone), StringComparison.Ordinal);
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);

        ResourceState state = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "command", "make-" + name, CancellationToken.None));
        Assert.Equal(a, state.CreatedBy);
        Assert.Equal(2, state.ApplyCount);
        Assert.Null(Assert.IsType<ResourceState>(await Cli.ReadAsync("globex", "command", "make-" + name, CancellationToken.None)).CreatedBy);

        Assert.Equal("deleted", (await Cli.CompensateAsync(Request("acme", a, stepOfA), CancellationToken.None)).Outcome);
        Assert.False((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }
}
