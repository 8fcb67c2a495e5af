using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Providers.Cli;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Providers.Tests;

/// <summary>The cli provider against a real local target: the pinned Azure CLI acting on an Azurite other than the service's.</summary>
public sealed class CliProviderTests(ServiceAndTargetFixture fixture) : IClassFixture<ServiceAndTargetFixture>, IDisposable
{
    readonly ConcurrentQueue<string> log = new();
    CliProvider? provider;

    CliProvider Cli => provider ??= TargetCli.For(fixture, log.Enqueue);

    BlobServiceClient Blobs => new(fixture.Target.ConnectionString);

    string AccountKey => fixture.Target.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];

    public void Dispose() => provider?.Dispose();

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The plan step of one resource, compiled from a validated cli change request.</summary>
    static PlanStep StepOf(object resource)
    {
        string json = JsonSerializer.Serialize(new { request = "cli test", tenant = "acme", target = new { provider = "cli", resources = new[] { resource } } });
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), null, MutatingCommandCatalog.Catalog);
        return Assert.Single(PlanCompiler.Compile(spec).Steps);
    }

    static StepRequest Request(string changeId, PlanStep step) => new() { Tenant = "acme", ChangeId = changeId, Step = step, Provider = "cli" };

    [AzCliFact]
    public async Task A_container_is_created_with_its_metadata_read_back_and_deleted()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha", tier = 2 } });
        Assert.Equal($"az storage container create --name {name} --metadata team=alpha tier=2 --output json", step.Command);

        StepRecord applied = await Cli.ApplyAsync(Request("chg-c1", step), CancellationToken.None);

        Assert.Equal("created", applied.Outcome);
        Assert.Equal(0, applied.Rc);
        Assert.Equal($"az storage container create --name {name} --metadata team=alpha tier=2 upm_change=chg-c1 --output json", applied.Cmd);
        var metadata = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("alpha", metadata["team"]);
        Assert.Equal("2", metadata["tier"]);
        Assert.Equal("chg-c1", metadata[StorageDataPlane.OwnerKey]);

        ResourceState state = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "az_storage_container", name, CancellationToken.None));
        Assert.Equal("healthy", state.Health);
        Assert.Equal("chg-c1", state.CreatedBy);
        Assert.Equal(ResourceFields.Of(step.Resource), new SortedDictionary<string, string>(state.Fields, StringComparer.Ordinal));

        StepRecord undone = await Cli.CompensateAsync(Request("chg-c1", step), CancellationToken.None);

        Assert.Equal("deleted", undone.Outcome);
        Assert.Equal($"az storage container delete --name {name} --output json", undone.Cmd);
        Assert.False((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
        Assert.Null(await Cli.ReadAsync("acme", "az_storage_container", name, CancellationToken.None));
        Assert.Equal("absent", (await Cli.CompensateAsync(Request("chg-c1", step), CancellationToken.None)).Outcome);
    }

    [AzCliFact]
    public async Task A_later_provider_starts_from_the_command_index_an_earlier_one_built_and_runs_no_warm_up()
    {
        // Whichever provider of this process ran first built the index; one more makes sure there is one to copy.
        using (CliProvider first = TargetCli.For(fixture, null))
        {
            Assert.Null(await first.ReadAsync("acme", "az_storage_container", Unique("c-"), CancellationToken.None));
            Assert.True(File.Exists(Path.Combine(first.Room.AzureConfigDir!, "commandIndex.json")));
        }

        var laterLog = new ConcurrentQueue<string>();
        using CliProvider later = TargetCli.For(fixture, laterLog.Enqueue);
        Assert.False(File.Exists(Path.Combine(later.Room.AzureConfigDir!, "commandIndex.json")), "a new provider's config folder starts empty");
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });

        Assert.Equal("created", (await later.ApplyAsync(Request("chg-seed", step), CancellationToken.None)).Outcome);

        Assert.True(File.Exists(Path.Combine(later.Room.AzureConfigDir!, "commandIndex.json")));
        Assert.DoesNotContain(laterLog, line => line.Contains("az version", StringComparison.Ordinal));
        Assert.Contains(laterLog, line => line.Contains($"az storage container create --name {name}", StringComparison.Ordinal));
        Assert.Equal("deleted", (await later.CompensateAsync(Request("chg-seed", step), CancellationToken.None)).Outcome);
    }

    [AzCliFact]
    public async Task Creating_the_same_container_again_in_the_same_change_changes_nothing()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });

        Assert.Equal("created", (await Cli.ApplyAsync(Request("chg-c2", step), CancellationToken.None)).Outcome);
        var etag = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.ETag;
        StepRecord again = await Cli.ApplyAsync(Request("chg-c2", step), CancellationToken.None);

        Assert.Equal("unchanged", again.Outcome);
        Assert.Equal(0, again.Rc);
        Assert.Equal(etag, (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.ETag);
    }

    [AzCliFact]
    public async Task Compensation_leaves_a_container_that_existed_before_the_change_alone()
    {
        string name = Unique("c-");
        await Blobs.GetBlobContainerClient(name).CreateAsync(metadata: new Dictionary<string, string> { ["team"] = "alpha", ["keep"] = "me" });
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });

        StepRecord applied = await Cli.ApplyAsync(Request("chg-c3", step), CancellationToken.None);
        Assert.Equal("updated", applied.Outcome); // adopted: metadata brought to the plan, no owner mark added
        var metadata = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.False(metadata.ContainsKey(StorageDataPlane.OwnerKey));
        Assert.Equal("alpha", metadata["team"]);

        StepRecord undone = await Cli.CompensateAsync(Request("chg-c3", step), CancellationToken.None);

        Assert.Equal("kept", undone.Outcome);
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }

    [AzCliFact]
    public async Task Compensation_of_another_change_does_not_delete_this_changes_container()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name });
        await Cli.ApplyAsync(Request("chg-owner", step), CancellationToken.None);

        StepRecord undone = await Cli.CompensateAsync(Request("chg-other", step), CancellationToken.None);

        Assert.Equal("kept", undone.Outcome);
        Assert.Contains("created by another change", undone.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("chg-owner", undone.Stdout, StringComparison.Ordinal); // the target is shared: another change is never named
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }

    [AzCliFact]
    public async Task Metadata_changed_behind_our_back_shows_in_read_back_and_apply_restores_it()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new { type = "az_storage_container", name, properties = new { team = "alpha" } });
        await Cli.ApplyAsync(Request("chg-c4", step), CancellationToken.None);
        await Blobs.GetBlobContainerClient(name).SetMetadataAsync(new Dictionary<string, string> { ["team"] = "beta", ["extra"] = "x", [StorageDataPlane.OwnerKey] = "chg-c4" });

        ResourceState drifted = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "az_storage_container", name, CancellationToken.None));

        Assert.Equal("beta", drifted.Fields["properties.team"]);
        Assert.Equal("x", drifted.Fields["properties.extra"]);
        Assert.NotEqual(ResourceFields.Of(step.Resource), new SortedDictionary<string, string>(drifted.Fields, StringComparer.Ordinal));

        StepRecord reapplied = await Cli.ApplyAsync(Request("chg-c4", step), CancellationToken.None);

        Assert.Equal("updated", reapplied.Outcome);
        var metadata = (await Blobs.GetBlobContainerClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(new Dictionary<string, string> { ["team"] = "alpha", [StorageDataPlane.OwnerKey] = "chg-c4" }, metadata.ToDictionary());
    }

    [AzCliFact]
    public async Task A_table_is_created_read_back_and_deleted_and_a_pre_existing_table_is_kept()
    {
        var tables = new TableServiceClient(fixture.Target.ConnectionString);
        string name = Unique("t");
        PlanStep step = StepOf(new { type = "az_storage_table", name });

        Assert.Equal("created", (await Cli.ApplyAsync(Request("chg-t1", step), CancellationToken.None)).Outcome);
        Assert.Contains(name, tables.Query(t => t.Name == name).Select(t => t.Name));
        Assert.Equal("unchanged", (await Cli.ApplyAsync(Request("chg-t1", step), CancellationToken.None)).Outcome);
        ResourceState state = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "az_storage_table", name, CancellationToken.None));
        Assert.Equal("chg-t1", state.CreatedBy);
        Assert.Equal("deleted", (await Cli.CompensateAsync(Request("chg-t1", step), CancellationToken.None)).Outcome);
        Assert.Empty(tables.Query(t => t.Name == name));
        Assert.Null(await Cli.ReadAsync("acme", "az_storage_table", name, CancellationToken.None));

        string existing = Unique("t");
        await tables.CreateTableAsync(existing);
        PlanStep adopt = StepOf(new { type = "az_storage_table", name = existing });
        Assert.Equal("unchanged", (await Cli.ApplyAsync(Request("chg-t2", adopt), CancellationToken.None)).Outcome);
        Assert.Equal("kept", (await Cli.CompensateAsync(Request("chg-t2", adopt), CancellationToken.None)).Outcome);
        Assert.Single(tables.Query(t => t.Name == existing));
    }

    [AzCliFact]
    public async Task A_queue_is_created_with_metadata_read_back_and_deleted()
    {
        var queues = new QueueServiceClient(fixture.Target.ConnectionString);
        string name = Unique("q-");
        PlanStep step = StepOf(new { type = "az_storage_queue", name, properties = new { team = "alpha" } });

        Assert.Equal("created", (await Cli.ApplyAsync(Request("chg-q1", step), CancellationToken.None)).Outcome);
        var metadata = (await queues.GetQueueClient(name).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("alpha", metadata["team"]);
        Assert.Equal("chg-q1", metadata[StorageDataPlane.OwnerKey]);
        ResourceState state = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "az_storage_queue", name, CancellationToken.None));
        Assert.Equal("alpha", state.Fields["properties.team"]);
        Assert.Equal("chg-q1", state.CreatedBy);

        Assert.Equal("unchanged", (await Cli.ApplyAsync(Request("chg-q1", step), CancellationToken.None)).Outcome);
        Assert.Equal("deleted", (await Cli.CompensateAsync(Request("chg-q1", step), CancellationToken.None)).Outcome);
        Assert.False((await queues.GetQueueClient(name).ExistsAsync()).Value);
    }

    [AzCliFact]
    public async Task A_command_step_runs_once_per_change_and_step_and_its_rollback_runs_on_compensation()
    {
        string name = Unique("c-");
        PlanStep step = StepOf(new
        {
            type = "command",
            name = "make-" + name,
            command = $"az storage container create --name {name} --output json",
            read_back = $"az storage container show --name {name} --output json | grep {name}",
            rollback = $"az storage container delete --name {name} --output json",
        });

        StepRecord first = await Cli.ApplyAsync(Request("chg-k1", step), CancellationToken.None);
        StepRecord replay = await Cli.ApplyAsync(Request("chg-k1", step), CancellationToken.None);

        Assert.Contains("\"created\": true", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(replay)); // the stored record: the command did not run again
        Assert.True((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
        ResourceState state = Assert.IsType<ResourceState>(await Cli.ReadAsync("acme", "command", "make-" + name, CancellationToken.None));
        Assert.Equal("healthy", state.Health);
        Assert.Equal(1, state.ApplyCount);

        StepRecord undone = await Cli.CompensateAsync(Request("chg-k1", step), CancellationToken.None);

        Assert.Equal("deleted", undone.Outcome);
        Assert.False((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
        Assert.Null(await Cli.ReadAsync("acme", "command", "make-" + name, CancellationToken.None));
    }

    [AzCliFact]
    public async Task A_command_with_a_shell_meta_is_refused_and_nothing_runs()
    {
        string name = Unique("c-");
        PlanStep valid = StepOf(new { type = "command", name = "m-" + name, command = "az storage container list --output json" });
        PlanStep step = valid with { Command = $"az storage container create --name {name} && az storage container list" };

        var ex = await Assert.ThrowsAsync<StepFailedException>(() => Cli.ApplyAsync(Request("chg-m1", step), CancellationToken.None));

        Assert.Contains("meta_blocked", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'&&'", ex.Message, StringComparison.Ordinal);
        Assert.False((await Blobs.GetBlobContainerClient(name).ExistsAsync()).Value);
    }

    [AzCliFact]
    public async Task Secrets_never_reach_step_records_errors_or_the_log()
    {
        // A SAS token printed by az is stored redacted; an account key typed on a command line (a step stored before the
        // door refused such text, or written around it) is refused at run time without running or echoing it.
        string container = Unique("c-");
        await Blobs.GetBlobContainerClient(container).CreateAsync();
        PlanStep sas = StepOf(new { type = "command", name = Unique("sas-"), command = $"az storage container generate-sas --name {container} --permissions r --expiry 2030-01-01T00:00Z --output json" });
        PlanStep valid = StepOf(new { type = "command", name = Unique("key-"), command = "az storage container list --output json" });
        PlanStep typedKey = valid with
        {
            Command = $"az storage container list --account-name devstoreaccount1 --account-key {AccountKey} --blob-endpoint http://127.0.0.1:{fixture.Target.BlobPort}/devstoreaccount1 --output json",
        };
        PlanStep failing = StepOf(new { type = "command", name = Unique("bad-"), command = $"az storage container show --name {Unique("missing-")} --output json" });

        StepRecord sasRecord = await Cli.ApplyAsync(Request("chg-s1", sas), CancellationToken.None);
        var keyError = await Assert.ThrowsAsync<StepFailedException>(() => Cli.ApplyAsync(Request("chg-s1", typedKey), CancellationToken.None));
        var error = await Assert.ThrowsAsync<StepFailedException>(() => Cli.ApplyAsync(Request("chg-s1", failing), CancellationToken.None));

        Assert.Equal(0, sasRecord.Rc);
        Assert.Contains("sig=***", sasRecord.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch("sig=(?!\\*\\*\\*)", sasRecord.Stdout!);
        Assert.Contains("secret_in_command", keyError.Message, StringComparison.Ordinal);
        Assert.Contains("secretref:", keyError.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerNotFound", error.Message, StringComparison.Ordinal);
        foreach (string text in new[] { JsonSerializer.Serialize(sasRecord), keyError.Message, error.Message, string.Join('\n', log) })
        {
            Assert.DoesNotContain(AccountKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.Target.ConnectionString, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(log, line => line.Contains("--account-key", StringComparison.Ordinal)); // it never ran
    }

    [AzCliFact]
    public async Task Preflight_refuses_a_missing_tool_and_another_version_and_passes_the_pinned_one()
    {
        PlanStep step = StepOf(new { type = "az_storage_container", name = Unique("c-") });

        PreflightCheck ok = Assert.Single(await Cli.CheckToolsAsync([step], CancellationToken.None));
        Assert.True(ok.Ok, ok.Message);
        Assert.Equal("tool_version", ok.Type);
        Assert.Contains("2.45.0", ok.Message, StringComparison.Ordinal);

        string folder = Directory.CreateTempSubdirectory("upm-manifest-").FullName;
        try
        {
            string Manifest(string file, string path, string version)
            {
                string at = Path.Combine(folder, file);
                File.WriteAllText(at, JsonSerializer.Serialize(new { tools = new { az = new { path, version, version_args = new[] { "version", "--output", "json" }, version_pattern = CliOptions.DefaultManifest.Tools["az"].VersionPattern } } }));
                return at;
            }

            using var other = new CliProvider(new CliLedger(fixture.Azurite.Clients()), new CliOptions { ToolManifestPath = Manifest("other.json", AzCli.Path, "2.99.0"), StorageConnectionString = fixture.Target.ConnectionString });
            using var missing = new CliProvider(new CliLedger(fixture.Azurite.Clients()), new CliOptions { ToolManifestPath = Manifest("missing.json", "/opt/none/az", "2.45.0"), StorageConnectionString = fixture.Target.ConnectionString });

            PreflightCheck wrong = Assert.Single(await other.CheckToolsAsync([step], CancellationToken.None));
            PreflightCheck absent = Assert.Single(await missing.CheckToolsAsync([step], CancellationToken.None));

            Assert.False(wrong.Ok);
            Assert.Contains("is version 2.45.0, the manifest pins 2.99.0", wrong.Message, StringComparison.Ordinal);
            Assert.False(absent.Ok);
            Assert.Contains("missing", absent.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Preflight_names_a_command_tool_outside_the_manifest()
    {
        // The door refuses this (kubectl is not in the catalog); pre-flight names it too, for a step stored before that.
        PlanStep step = StepOf(new { type = "command", name = "ns", command = "az storage container list --output json" }) with { Command = "kubectl-1.29 create namespace team-a" };

        PreflightCheck check = Assert.Single(await Cli.CheckToolsAsync([step], CancellationToken.None));

        Assert.False(check.Ok);
        Assert.Equal("kubectl-1.29", check.Target);
        Assert.Contains("not in the tool manifest", check.Message, StringComparison.Ordinal);
    }
}
