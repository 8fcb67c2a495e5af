using System.Text.Json.Nodes;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using UpmDurable.Providers.Azure;
using Xunit;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>
/// Restore and re-create on ARM's recorded shapes (<see cref="FakeArm"/>): the before-image is read by resource id, put
/// back with one PUT in the apply's shape (owner tag as it was, other tags kept), and an ensure: absent step is a DELETE.
/// The apply starts from the GET its before-image was made from.
/// </summary>
[Trait("Category", "Contract")]
public sealed class ArmRestoreTests
{
    const string StorageJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}, {"type": "az_storage_account", "name": "stdemo01", "resource_group": "rg-demo", "location": "eastus"}]""";

    readonly ArmHarness h = new();
    readonly string id = ArmHarness.StorageId("rg-demo", "stdemo01");

    void SeedForeignAccount() => h.Arm.Seed(id, new JsonObject
    {
        ["type"] = "Microsoft.Storage/storageAccounts", ["location"] = "eastus", ["kind"] = "StorageV2", ["sku"] = new JsonObject { ["name"] = "Standard_GRS" },
        ["tags"] = new JsonObject { [AzureProvider.ChangeTag] = "chg-old", ["cost-center"] = "cc-42" },
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    });

    async Task<BeforeImage> CaptureAsync(StepRequest step)
    {
        ResourceState? current = await h.Provider.ReadAsync(step.Tenant, step.Step.Resource, default);
        return BeforeImages.Of(step.Step, current is not null, current?.Fields, current?.CreatedBy, DateTimeOffset.UtcNow, ((IChangeProvider)h.Provider).NotRestorable(step.Step, current));
    }

    [Fact]
    public async Task An_updated_account_is_restored_by_one_PUT_of_its_before_image_keeping_owner_and_other_tags()
    {
        SeedForeignAccount();
        StepRequest step = ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-2");
        BeforeImage image = await CaptureAsync(step);
        Assert.Equal("Standard_GRS", image.Fields["properties.sku"]);
        Assert.Equal("updated", (await h.ApplyAsync(step)).Outcome);
        Assert.Equal("Standard_LRS", (string?)h.Arm.Resource(id)!["sku"]!["name"]);
        h.Arm.Calls.Clear();

        StepRecord restored = await h.RestoreAsync(step, image);

        Assert.Equal(StepOutcomes.Restored, restored.Outcome);
        Assert.Equal($"PUT {id}?api-version=2023-05-01", restored.Cmd);
        JsonNode put = h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!;
        Assert.Equal("Standard_GRS", (string?)put["sku"]!["name"]);
        Assert.Equal("eastus", (string?)put["location"]);
        Assert.Equal("chg-old", (string?)put["tags"]![AzureProvider.ChangeTag]);
        Assert.Equal("cc-42", (string?)put["tags"]!["cost-center"]);
        ResourceState state = (await h.Provider.ReadAsync("acme", step.Step.Resource, default))!;
        Assert.True(FieldDiff.Same(image.Fields, state.Fields), string.Join(", ", FieldDiff.Between(image.Fields, state.Fields)));
        Assert.Equal("chg-old", state.CreatedBy);

        h.Arm.Calls.Clear();
        Assert.Equal(StepOutcomes.Unchanged, (await h.RestoreAsync(step, image)).Outcome);
        Assert.Empty(h.Arm.CallsTo("PUT", "/"));
    }

    [Fact]
    public async Task An_ensure_absent_step_is_a_DELETE_and_rollback_recreates_the_account_by_PUT()
    {
        SeedForeignAccount();
        Plan plan = ArmHarness.PlanOf(StorageJson);
        StepRequest step = ArmHarness.StepOf(plan, "az_storage_account/stdemo01", "chg-3");
        step = step with { Step = step.Step with { Resource = step.Step.Resource with { Ensure = Ensures.Absent } } };
        BeforeImage image = await CaptureAsync(step);

        StepRecord deleted = await h.ApplyAsync(step);

        Assert.Equal(StepOutcomes.Deleted, deleted.Outcome);
        Assert.Equal($"DELETE {id}?api-version=2023-05-01", deleted.Cmd);
        Assert.Null(h.Arm.Resource(id));
        Assert.Equal(StepOutcomes.Unchanged, (await h.ApplyAsync(step)).Outcome);

        StepRecord recreated = await h.RestoreAsync(step, image);

        Assert.Equal(StepOutcomes.Recreated, recreated.Outcome);
        Assert.Equal("Standard_GRS", (string?)h.Arm.Resource(id)!["sku"]!["name"]);
        ResourceState state = (await h.Provider.ReadAsync("acme", step.Step.Resource, default))!;
        Assert.True(FieldDiff.Same(image.Fields, state.Fields));
        Assert.Equal("chg-old", state.CreatedBy);
    }

    [Fact]
    public async Task A_resource_group_that_still_holds_resources_is_not_deleted_by_ensure_absent()
    {
        SeedForeignAccount();
        h.Arm.Seed(ArmHarness.GroupId("rg-demo"), new JsonObject { ["location"] = "eastus", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });
        StepRequest step = ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_resource_group/rg-demo", "chg-4");
        step = step with { Step = step.Step with { Resource = step.Step.Resource with { Ensure = Ensures.Absent } } };

        StepFailedException refused = await Assert.ThrowsAsync<StepFailedException>(() => h.ApplyAsync(step));

        Assert.Contains("still holds resources", refused.Message, StringComparison.Ordinal);
        Assert.Empty(h.Arm.CallsTo("DELETE", "/"));
    }

    [Fact]
    public async Task An_apply_from_its_before_image_read_sends_its_PUT_without_a_second_GET_and_a_retry_sends_nothing()
    {
        SeedForeignAccount();
        StepRequest step = ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-5");
        StepRead read = await h.Provider.ReadForApplyAsync(step, default);
        Assert.Equal("chg-old", read.State!.CreatedBy);
        Assert.Equal("Standard_GRS", read.State.Fields["properties.sku"]);
        h.Arm.Calls.Clear();

        StepRecord updated = await h.ApplyAsync(step, read);

        Assert.Equal("updated", updated.Outcome);
        Assert.Equal("PUT", h.Arm.Calls[0].Method);
        Assert.Equal("chg-old", (string?)h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!["tags"]![AzureProvider.ChangeTag]);
        Assert.Equal("cc-42", (string?)h.Arm.Resource(id)!["tags"]!["cost-center"]);

        // A retried attempt reads the step's own tag and sends nothing.
        StepRead again = await h.Provider.ReadForApplyAsync(step, default);
        h.Arm.Calls.Clear();
        Assert.Equal("unchanged", (await h.ApplyAsync(step, again)).Outcome);
        Assert.Empty(h.Arm.Calls);
    }

    [Fact]
    public async Task An_ensure_absent_apply_from_its_before_image_read_sends_its_DELETE_without_a_second_GET()
    {
        SeedForeignAccount();
        StepRequest step = ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-6");
        step = step with { Step = step.Step with { Resource = step.Step.Resource with { Ensure = Ensures.Absent } } };
        StepRead read = await h.Provider.ReadForApplyAsync(step, default);
        Assert.NotNull(read.State);
        h.Arm.Calls.Clear();

        StepRecord deleted = await h.ApplyAsync(step, read);

        Assert.Equal(StepOutcomes.Deleted, deleted.Outcome);
        Assert.Equal("DELETE", h.Arm.Calls[0].Method);
        Assert.Null(h.Arm.Resource(id));
    }
}
