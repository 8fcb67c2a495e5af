using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using UpmDurable.Core.Validation;
using UpmDurable.Providers.Cli;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Providers.Tests;

/// <summary>
/// The cli provider puts containers and queues back from their before-images with the real Azure CLI on Azurite: metadata
/// restored, a deleted one re-created with its metadata, each read back to prove it; a table is not restorable. And the read
/// a before-image is made from is the read the step's apply starts from: one <c>az</c> read per step.
/// </summary>
public sealed class CliRestoreTests(ServiceAndTargetFixture fixture) : IClassFixture<ServiceAndTargetFixture>, IDisposable
{
    readonly ConcurrentQueue<string> log = new();
    CliProvider? provider;

    CliProvider Cli => provider ??= TargetCli.For(fixture, log.Enqueue);

    BlobServiceClient Blobs => new(fixture.Target.ConnectionString);

    public void Dispose() => provider?.Dispose();

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    static PlanStep StepOf(object resource)
    {
        string json = JsonSerializer.Serialize(new { request = "cli test", tenant = "acme", target = new { provider = "cli", resources = new[] { resource } } });
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), null, MutatingCommandCatalog.Catalog);
        return Assert.Single(PlanCompiler.Compile(spec).Steps);
    }

    static StepRequest Request(string changeId, PlanStep step) => new() { Tenant = "acme", ChangeId = changeId, Step = step, Provider = "cli" };

    async Task<BeforeImage> CaptureAsync(PlanStep step)
    {
        ResourceState? current = await Cli.ReadAsync("acme", step.Type, step.Name, CancellationToken.None);
        return BeforeImages.Of(step, current is not null, current?.Fields, current?.CreatedBy, DateTimeOffset.UtcNow, ((IChangeProvider)Cli).NotRestorable(step, current));
    }

    [AzCliFact]
    public async Task A_containers_metadata_changed_by_a_step_is_restored_and_read_back_equal_to_its_image()
    {
        string name = Unique("c-");
        await Blobs.GetBlobContainerClient(name).CreateAsync(metadata: new Dictionary<string, string> { ["team"] = "alpha", ["keep"] = "me" });
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "beta" } });
        BeforeImage image = await CaptureAsync(step);
        Assert.Null(image.NotRestorable);
        Assert.Equal("updated", (await Cli.ApplyAsync(Request("chg-r1", step), CancellationToken.None)).Outcome);

        StepRecord restored = await ((IChangeProvider)Cli).RestoreAsync(Request("chg-r1", step), image, CancellationToken.None);

        Assert.Equal(StepOutcomes.Restored, restored.Outcome);
        Assert.Equal($"az storage container metadata update --name {name} --metadata keep=me team=alpha --output json", restored.Cmd);
        var metadata = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "me", ["team"] = "alpha" }, metadata.ToDictionary(m => m.Key, m => m.Value));
        ResourceState state = (await Cli.ReadAsync("acme", step.Type, name, CancellationToken.None))!;
        Assert.True(FieldDiff.Same(image.Fields, state.Fields));
        Assert.Equal(StepOutcomes.Unchanged, (await ((IChangeProvider)Cli).RestoreAsync(Request("chg-r1", step), image, CancellationToken.None)).Outcome);
    }

    [AzCliFact]
    public async Task A_queue_deleted_by_ensure_absent_is_recreated_with_its_metadata_and_owner()
    {
        string name = Unique("q-");
        PlanStep create = StepOf(new { type = "az_storage_queue", name, properties = new { team = "alpha" } });
        Assert.Equal("created", (await Cli.ApplyAsync(Request("chg-q1", create), CancellationToken.None)).Outcome);
        PlanStep delete = create with { Resource = create.Resource with { Ensure = Ensures.Absent } };
        BeforeImage image = await CaptureAsync(delete);

        StepRecord deleted = await Cli.ApplyAsync(Request("chg-q2", delete), CancellationToken.None);
        Assert.Equal(StepOutcomes.Deleted, deleted.Outcome);
        Assert.Null(await Cli.ReadAsync("acme", delete.Type, name, CancellationToken.None));
        Assert.Equal(StepOutcomes.Unchanged, (await Cli.ApplyAsync(Request("chg-q2", delete), CancellationToken.None)).Outcome);

        StepRecord recreated = await ((IChangeProvider)Cli).RestoreAsync(Request("chg-q2", delete), image, CancellationToken.None);

        Assert.Equal(StepOutcomes.Recreated, recreated.Outcome);
        var metadata = (await new QueueClient(fixture.Target.ConnectionString, name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("alpha", metadata["team"]);
        Assert.Equal("chg-q1", metadata[StorageDataPlane.OwnerKey]);
        ResourceState state = (await Cli.ReadAsync("acme", delete.Type, name, CancellationToken.None))!;
        Assert.True(FieldDiff.Same(image.Fields, state.Fields));
        Assert.Equal("chg-q1", state.CreatedBy);
    }

    [AzCliFact]
    public async Task A_table_and_metadata_outside_the_allow_list_are_not_restorable_with_a_reason()
    {
        string table = Unique("t");
        PlanStep tableStep = StepOf(new { type = "az_storage_table", name = table });
        await Cli.ApplyAsync(Request("chg-t1", tableStep), CancellationToken.None);
        Assert.Contains("rows are not captured", (await CaptureAsync(tableStep)).NotRestorable, StringComparison.Ordinal);

        string name = Unique("c-");
        await Blobs.GetBlobContainerClient(name).CreateAsync(metadata: new Dictionary<string, string> { ["note"] = "a b;c" });
        BeforeImage image = await CaptureAsync(StepOf(new { type = "az_storage_container", name }));
        Assert.Contains("metadata 'note'", image.NotRestorable, StringComparison.Ordinal);
    }

    int ReadBacks(string name) => log.Count(line => line.StartsWith("[az storage container show --name " + name + " ", StringComparison.Ordinal));

    [AzCliFact]
    public async Task A_step_applied_from_its_before_image_read_runs_one_read_back_and_keeps_the_unchanged_record()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });

        StepRead absent = await Cli.ReadForApplyAsync(Request("chg-o1", step), CancellationToken.None);
        StepRecord created = await Cli.ApplyAsync(Request("chg-o1", step), absent, CancellationToken.None);

        Assert.Null(absent.State);
        Assert.Equal("created", created.Outcome);
        Assert.Equal(1, ReadBacks(name));
        Assert.Equal("chg-o1", (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata[StorageDataPlane.OwnerKey]);

        // Applied again (a retried attempt): the read made for it shows the step done; the record is that read-back's.
        StepRead done = await Cli.ReadForApplyAsync(Request("chg-o1", step), CancellationToken.None);
        StepRecord unchanged = await Cli.ApplyAsync(Request("chg-o1", step), done, CancellationToken.None);

        Assert.Equal("chg-o1", done.State!.CreatedBy);
        Assert.Equal("alpha", done.State.Fields["properties.team"]);
        Assert.Equal("unchanged", unchanged.Outcome);
        Assert.StartsWith($"az storage container show --name {name} ", unchanged.Cmd, StringComparison.Ordinal);
        Assert.Contains("\"team\": \"alpha\"", unchanged.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, ReadBacks(name));
    }

    [AzCliFact]
    public async Task A_read_made_stale_by_someone_elses_create_still_applies_without_claiming_their_container()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });
        StepRead absent = await Cli.ReadForApplyAsync(Request("chg-o2", step), CancellationToken.None);

        // Between the read and the apply, someone else creates the container with other metadata.
        await Blobs.GetBlobContainerClient(name).CreateAsync(metadata: new Dictionary<string, string> { ["team"] = "theirs" });
        StepRecord applied = await Cli.ApplyAsync(Request("chg-o2", step), absent, CancellationToken.None);

        Assert.Equal("updated", applied.Outcome);
        var metadata = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("alpha", metadata["team"]);
        Assert.False(metadata.ContainsKey(StorageDataPlane.OwnerKey), "the change must not mark as its own a container it did not create");
        Assert.Equal("kept", (await Cli.CompensateAsync(Request("chg-o2", step), CancellationToken.None)).Outcome);
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }
}
