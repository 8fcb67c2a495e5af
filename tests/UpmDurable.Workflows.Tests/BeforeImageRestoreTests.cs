using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;
using UpmDurable.Testing;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Diagnostics;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The apply, compensate and rollback read-back activities over the sandbox and the before-image store on real Azurite:
/// the image is captured before the write and kept write-once, compensation restores / re-creates from it, and the read-back
/// proves it against the image.
/// </summary>
public sealed class BeforeImageRestoreTests(AzuriteFixture storage) : IClassFixture<AzuriteFixture>
{
    readonly StorageClients clients = Clients(storage);
    ProviderRegistry Providers => new([new SandboxProvider(clients, new SandboxOptions())]);
    BeforeImageStore Images => new(clients);

    static StorageClients Clients(AzuriteFixture storage)
    {
        StorageClients clients = storage.Azurite.Clients();
        clients.EnsureCreatedAsync().GetAwaiter().GetResult();
        return clients;
    }

    ApplyStep Apply => new(Providers, new BeforeImageCapture(Images, TimeProvider.System));

    CompensateStep Compensate => new(Providers, new StepRestore(Images));

    VerifyRollback ReadBack => new(Providers, new ChangeStore(clients), Images, new ActivityFaults(new TestingOptions(), new ChangeStore(clients)));

    static StepRequest Step(string changeId, string name, string tier, string? ensure = null, bool guard = false) => new()
    {
        Tenant = "acme",
        ChangeId = changeId,
        GuardAfterImage = guard ? true : null,
        Step = TestSteps.Namespace(name, new ResourceSpec { Type = "k8s_namespace", Name = name, Ensure = ensure, Properties = new() { ["tier"] = JsonSerializer.SerializeToElement(tier) } }),
    };

    static string Name() => "ns-" + Guid.NewGuid().ToString("N")[..12];

    async Task<Dictionary<string, string>?> FieldsAsync(string name) =>
        (await Providers.Get("sandbox").ReadAsync("acme", "k8s_namespace", name, default))?.Fields;

    [Fact]
    public async Task An_update_keeps_its_first_before_image_on_retry_and_rollback_restores_it()
    {
        string name = Name();
        await Apply.RunAsync(null!, Step("chg-first", name, "bronze"));

        StepRecord updated = await Apply.RunAsync(null!, Step("chg-second", name, "gold"));
        StepRecord retried = await Apply.RunAsync(null!, Step("chg-second", name, "gold"));

        StoredBeforeImage image = (await Images.GetAsync("acme", "chg-second", $"k8s_namespace/{name}"))!;
        Assert.Equal("updated", updated.Outcome);
        Assert.Equal("bronze", image.Image.Fields["properties.tier"]);
        Assert.Equal(image.Sha256, updated.BeforeImageSha256);
        Assert.Equal(image.Sha256, retried.BeforeImageSha256);
        Assert.Equal("chg-first", image.Image.CreatedBy);

        StepRecord restored = await Compensate.RunAsync(null!, Step("chg-second", name, "gold"));
        StepRecord again = await Compensate.RunAsync(null!, Step("chg-second", name, "gold"));

        Assert.Equal(StepOutcomes.Restored, restored.Outcome);
        Assert.Equal(StepOutcomes.Unchanged, again.Outcome);
        Assert.Equal("bronze", (await FieldsAsync(name))!["properties.tier"]);
        RollbackReadBack proof = Assert.Single(await ReadBack.RunAsync(null!, new VerifyInput("acme", "chg-second", "sandbox", [Step("chg-second", name, "gold").Step])));
        Assert.Equal("restored", proof.State);
    }

    [Fact]
    public async Task A_delete_by_ensure_absent_is_recreated_from_its_image_with_its_creator()
    {
        string name = Name();
        await Apply.RunAsync(null!, Step("chg-first", name, "bronze"));

        StepRecord deleted = await Apply.RunAsync(null!, Step("chg-del", name, "bronze", Ensures.Absent));
        StepRecord again = await Apply.RunAsync(null!, Step("chg-del", name, "bronze", Ensures.Absent));
        Assert.Equal(StepOutcomes.Deleted, deleted.Outcome);
        Assert.Equal(StepOutcomes.Unchanged, again.Outcome);
        Assert.Null(await FieldsAsync(name));

        StepRecord recreated = await Compensate.RunAsync(null!, Step("chg-del", name, "bronze", Ensures.Absent));

        Assert.Equal(StepOutcomes.Recreated, recreated.Outcome);
        ResourceState state = (await Providers.Get("sandbox").ReadAsync("acme", "k8s_namespace", name, default))!;
        Assert.Equal("bronze", state.Fields["properties.tier"]);
        Assert.Equal("chg-first", state.CreatedBy);
        Assert.Equal("recreated", Assert.Single(await ReadBack.RunAsync(null!, new VerifyInput("acme", "chg-del", "sandbox", [Step("chg-del", name, "bronze", Ensures.Absent).Step]))).State);
    }

    [Fact]
    public async Task A_guarded_rollback_leaves_a_resource_changed_since_and_reports_the_conflict()
    {
        string name = Name();
        await Apply.RunAsync(null!, Step("chg-first", name, "bronze"));
        await Apply.RunAsync(null!, Step("chg-second", name, "gold"));
        await Apply.RunAsync(null!, Step("chg-third", name, "platinum"));

        StepRecord conflict = await Compensate.RunAsync(null!, Step("chg-second", name, "gold", guard: true));

        Assert.Equal(StepOutcomes.Conflict, conflict.Outcome);
        Assert.Contains("properties.tier", conflict.Stdout, StringComparison.Ordinal);
        Assert.Equal("platinum", (await FieldsAsync(name))!["properties.tier"]);
        Assert.Equal("not_restored", Assert.Single(await ReadBack.RunAsync(null!, new VerifyInput("acme", "chg-second", "sandbox", [Step("chg-second", name, "gold").Step]))).State);

        StepRecord forced = await Compensate.RunAsync(null!, Step("chg-second", name, "gold"));
        Assert.Equal(StepOutcomes.Restored, forced.Outcome);
        Assert.Equal("bronze", (await FieldsAsync(name))!["properties.tier"]);
    }

    [Fact]
    public async Task A_step_that_created_its_resource_is_undone_by_deleting_it()
    {
        string name = Name();
        StepRecord created = await Apply.RunAsync(null!, Step("chg-new", name, "gold"));

        Assert.False((await Images.GetAsync("acme", "chg-new", $"k8s_namespace/{name}"))!.Image.Existed);
        Assert.Equal(StepOutcomes.Deleted, (await Compensate.RunAsync(null!, Step("chg-new", name, "gold", guard: true))).Outcome);
        Assert.Null(await FieldsAsync(name));
        Assert.Equal("gone", Assert.Single(await ReadBack.RunAsync(null!, new VerifyInput("acme", "chg-new", "sandbox", [Step("chg-new", name, "gold").Step]))).State);
        Assert.NotNull(created.BeforeImageSha256);
    }
}
