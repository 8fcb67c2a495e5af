using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using Xunit;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>
/// The azure provider reads resources by their ARM id (never a filtered listing of the subscription, which a role scoped
/// to the target resource groups could not answer), and re-reads a bounded number of times when ARM answers 404 right
/// after it said a create succeeded.
/// </summary>
[Trait("Category", "Contract")]
public sealed class ArmReadByIdTests
{
    const string StorageJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}, {"type": "az_storage_account", "name": "stdemo01", "resource_group": "rg-demo", "location": "eastus"}]""";

    readonly ArmHarness h = new();

    static JsonObject Storage() => new()
    {
        ["location"] = "eastus", ["kind"] = "StorageV2", ["sku"] = new JsonObject { ["name"] = "Standard_LRS" },
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    [Fact]
    public async Task A_name_only_read_GETs_the_resource_id_in_each_target_group_in_turn_and_never_lists_the_subscription()
    {
        h.Options.ResourceGroups.AddRange(["rg-other", "rg-demo", "rg-third"]);
        h.Arm.Seed(ArmHarness.StorageId("rg-demo", "stdemo01"), Storage());

        ResourceState? state = await h.Provider.ReadAsync("acme", "az_storage_account", "stdemo01", default);

        Assert.NotNull(state);
        Assert.Equal("healthy", state.Health);
        Assert.Equal(
            [
                $"GET {ArmHarness.StorageId("rg-other", "stdemo01")}?api-version=2023-05-01",
                $"GET {ArmHarness.StorageId("rg-demo", "stdemo01")}?api-version=2023-05-01",
            ],
            h.Arm.Calls.Select(c => c.ToString()));
        Assert.DoesNotContain(h.Arm.Calls, c => c.Path.EndsWith("/resources", StringComparison.Ordinal) || c.PathAndQuery.Contains("filter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_plan_step_is_read_with_one_GET_of_its_resource_id()
    {
        PlanStep step = ArmHarness.PlanOf(StorageJson).Steps.Single(s => s.Type == "az_storage_account");
        h.Arm.Seed(ArmHarness.StorageId("rg-demo", "stdemo01"), Storage());

        ResourceState? state = await ((IChangeProvider)h.Provider).ReadAsync("acme", step.Resource, default);

        Assert.NotNull(state);
        FakeArm.Call call = Assert.Single(h.Arm.Calls);
        Assert.Equal(("GET", $"{ArmHarness.StorageId("rg-demo", "stdemo01")}?api-version=2023-05-01"), (call.Method, call.PathAndQuery));
    }

    [Fact]
    public async Task A_name_only_read_without_target_groups_is_refused_with_the_setting_to_fix_and_sends_nothing()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Provider.ReadAsync("acme", "az_storage_account", "stdemo01", default));

        Assert.Contains("Upm:Azure:ResourceGroups", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Arm.Calls);
    }

    [Fact]
    public async Task A_404_right_after_a_create_is_re_read_with_growing_waits_until_ARM_shows_the_resource()
    {
        h.Options.ReadAfterCreateDelay = TimeSpan.FromMilliseconds(100);
        string path = ArmHarness.StorageId("rg-demo", "stdemo01");
        // The read before the PUT (404: a create) and two more after ARM said the create succeeded.
        h.Arm.Fail("GET", "/storageAccounts/stdemo01", HttpStatusCode.NotFound, times: 3, code: "ResourceNotFound");

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-1"));

        Assert.Equal("created", record.Outcome);
        Assert.Contains("\"provisioningState\":\"Succeeded\"", record.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, h.Arm.CallsTo("GET", path).Count);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], h.Time.Waits);
        Assert.Contains(h.Logger.Lines, l => l.Contains("answered 404 right after its create (read 2 of 5)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_404_that_outlasts_the_bound_fails_the_step_clearly_after_exactly_N_reads()
    {
        h.Options.ReadAfterCreateAttempts = 3;
        h.Options.ReadAfterCreateDelay = TimeSpan.FromMilliseconds(100);
        string path = ArmHarness.StorageId("rg-demo", "stdemo01");
        h.Arm.Fail("GET", "/storageAccounts/stdemo01", HttpStatusCode.NotFound, times: 1000, code: "ResourceNotFound");

        var ex = await Assert.ThrowsAsync<StepFailedException>(() => h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-1")));

        Assert.Equal("az_storage_account/stdemo01", ex.StepId);
        Assert.Contains($"succeeded but GET {path} answered 404 on 3 reads over 0.3 s (Upm:Azure:ReadAfterCreateAttempts)", ex.Message, StringComparison.Ordinal);
        // One read before the PUT, then the bound: 3 reads after the create, 2 waits between them.
        Assert.Equal(1 + 3, h.Arm.CallsTo("GET", path).Count);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], h.Time.Waits);
    }

    [Fact]
    public async Task A_resource_group_created_by_an_earlier_step_is_re_read_when_a_resource_without_location_needs_it()
    {
        h.Options.ReadAfterCreateDelay = TimeSpan.FromMilliseconds(50);
        h.Arm.Seed(ArmHarness.GroupId("rg-demo"), new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });
        // Both GETs under the group answer 404: the account's own read (it does not exist: a create) and the group's first read.
        h.Arm.Fail("GET", "/resourceGroups/rg-demo", HttpStatusCode.NotFound, times: 2, code: "ResourceGroupNotFound");
        Plan plan = ArmHarness.PlanOf("""[{"type": "az_storage_account", "name": "stdemo02", "resource_group": "rg-demo"}]""", """[{"type": "az_resource_group", "name": "rg-demo"}]""");

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(plan, "az_storage_account/stdemo02", "chg-1"));

        Assert.Equal("created", record.Outcome);
        Assert.Equal("westeurope", (string?)h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!["location"]);
        Assert.Equal(2, h.Arm.Calls.Count(c => c.Method == "GET" && string.Equals(c.Path, ArmHarness.GroupId("rg-demo"), StringComparison.OrdinalIgnoreCase)));
        Assert.Equal([TimeSpan.FromMilliseconds(50)], h.Time.Waits);
    }
}
