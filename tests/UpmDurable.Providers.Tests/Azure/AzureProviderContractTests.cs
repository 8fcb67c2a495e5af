using System.Net;
using System.Text.Json.Nodes;
using Azure;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers.Azure;
using Xunit;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>
/// The azure provider against ARM's documented request/response shapes, replayed by <see cref="FakeArm"/> through the
/// SDK's transport: what we send (method, path, api-version, body, tags) and how we handle what ARM answers.
/// </summary>
[Trait("Category", "Contract")]
public sealed class AzureProviderContractTests
{
    const string GroupJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}]""";
    const string StorageJson = """[{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"}, {"type": "az_storage_account", "name": "stdemo01", "resource_group": "rg-demo", "location": "eastus"}]""";

    readonly ArmHarness h = new();

    [Fact]
    public async Task Resource_group_create_reads_first_then_PUTs_location_and_tags_and_answers_created()
    {
        Plan plan = ArmHarness.PlanOf(GroupJson);
        StepRequest step = ArmHarness.StepOf(plan, "az_resource_group/rg-demo", "chg-1");

        StepRecord record = await h.ApplyAsync(step, default);

        Assert.Equal("created", record.Outcome);
        Assert.Equal(["GET", "PUT"], h.Arm.Calls.Select(c => c.Method));
        FakeArm.Call put = h.Arm.Calls[1];
        Assert.Equal($"/subscriptions/{ArmHarness.Subscription}/resourcegroups/rg-demo?api-version=2022-09-01", put.PathAndQuery);
        Assert.Equal("eastus", (string?)put.Json!["location"]);
        JsonObject tags = put.Json!["tags"]!.AsObject();
        Assert.Equal("chg-1", (string?)tags[AzureProvider.ChangeTag]);
        Assert.Equal("chg-1/az_resource_group/rg-demo", (string?)tags[AzureProvider.StepTag]);
        Assert.Equal(step.Step.IdempotencyKey, (string?)tags[AzureProvider.IdempotencyTag]);
        Assert.Equal("acme", (string?)tags[AzureProvider.TenantTag]);
        Assert.Equal($"PUT {ArmHarness.GroupId("rg-demo")}?api-version=2022-09-01", record.Cmd);
        Assert.Contains("\"provisioningState\":\"Succeeded\"", record.Stdout, StringComparison.Ordinal);
        Assert.All(h.Arm.Calls, c => Assert.Equal($"Bearer {FakeTokenCredential.Token}", c.Authorization));
        Assert.Contains(h.Credential.Scopes, s => s.SequenceEqual(["https://management.azure.com/.default"]));
    }

    [Fact]
    public async Task Applying_the_same_step_twice_sends_one_PUT()
    {
        StepRequest step = ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1");

        StepRecord first = await h.ApplyAsync(step, default);
        StepRecord again = await h.ApplyAsync(step, default);

        Assert.Equal("created", first.Outcome);
        Assert.Equal("unchanged", again.Outcome);
        Assert.Single(h.Arm.CallsTo("PUT", "/resourcegroups/rg-demo"));
    }

    [Fact]
    public async Task A_resource_group_that_exists_as_planned_is_adopted_without_a_write()
    {
        h.Arm.Seed(ArmHarness.GroupId("rg-demo"), new JsonObject { ["location"] = "eastus", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1"), default);

        Assert.Equal("unchanged", record.Outcome);
        Assert.Empty(h.Arm.CallsTo("PUT", "/"));
    }

    [Fact]
    public async Task Storage_account_create_is_a_long_running_operation_polled_as_Retry_After_says_by_the_orchestration()
    {
        Plan plan = ArmHarness.PlanOf(StorageJson);
        h.Arm.PollsInProgress = 1;

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(plan, "az_storage_account/stdemo01", "chg-1"), default);

        Assert.Equal("created", record.Outcome);
        string path = ArmHarness.StorageId("rg-demo", "stdemo01");
        Assert.Equal(
            [$"GET {path}?api-version=2023-05-01", $"PUT {path}?api-version=2023-05-01", "GET operationStatuses", "GET operationStatuses", $"GET {path}?api-version=2023-05-01"],
            h.Arm.Calls.Select(c => c.Path.Contains("operationStatuses", StringComparison.Ordinal) ? "GET operationStatuses" : c.ToString()));
        JsonNode body = h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!;
        Assert.Equal("eastus", (string?)body["location"]);
        Assert.Equal("Standard_LRS", (string?)body["sku"]!["name"]);
        Assert.Equal("StorageV2", (string?)body["kind"]);
        Assert.True((bool)body["properties"]!["supportsHttpsTrafficOnly"]!);
        Assert.False((bool)body["properties"]!["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)body["properties"]!["minimumTlsVersion"]);
        Assert.Equal("chg-1", (string?)body["tags"]![AzureProvider.ChangeTag]);
        // 202 said Retry-After: 3, the InProgress poll said 2: the orchestration's timers, none inside the provider.
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)], h.PollDelays);
        Assert.Empty(h.Time.Waits);
        Assert.Equal("Succeeded", (string?)h.Arm.Resource(path)!["properties"]!["provisioningState"]);
    }

    [Fact]
    public async Task Read_back_maps_ARM_properties_to_the_plan_fields_and_provisioning_state_to_health()
    {
        Plan plan = ArmHarness.PlanOf(StorageJson);
        PlanStep step = plan.Steps.Single(s => s.Type == "az_storage_account");
        await h.ApplyAsync(ArmHarness.StepOf(plan, step.Id, "chg-1"), default);
        h.Arm.Calls.Clear();

        ResourceState? state = await ((IChangeProvider)h.Provider).ReadAsync("acme", step.Resource, default);

        Assert.NotNull(state);
        Assert.Equal(ResourceFields.Of(step.Resource), new SortedDictionary<string, string>(state.Fields, StringComparer.Ordinal));
        Assert.Equal("healthy", state.Health);
        Assert.Equal("chg-1", state.CreatedBy);
        // One GET of the resource id, where the plan says it is: no listing of the subscription.
        Assert.Equal([$"GET {ArmHarness.StorageId("rg-demo", "stdemo01")}?api-version=2023-05-01"], h.Arm.Calls.Select(c => c.ToString()));

        ((JsonObject)h.Arm.Resource(ArmHarness.StorageId("rg-demo", "stdemo01"))!["properties"]!)["provisioningState"] = "Failed";
        Assert.Equal("unhealthy", (await h.Provider.ReadAsync("acme", step.Resource, default))!.Health);
    }

    [Fact]
    public async Task A_missing_resource_reads_as_null_after_ARM_answers_404()
    {
        h.Options.ResourceGroups.Add("rg-demo");
        Assert.Null(await h.Provider.ReadAsync("acme", "az_resource_group", "rg-missing", default));
        Assert.Null(await h.Provider.ReadAsync("acme", ArmHarness.PlanOf(StorageJson).Steps[1].Resource, default));
        Assert.Null(await h.Provider.ReadAsync("acme", "az_storage_account", "stmissing", default));
        Assert.Equal(3, h.Arm.Calls.Count(c => c.Method == "GET" && c.Path.StartsWith(ArmHarness.GroupId(string.Empty), StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(h.Arm.Calls, c => c.PathAndQuery.Contains("filter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_storage_account_without_location_goes_where_its_group_is()
    {
        h.Arm.Seed(ArmHarness.GroupId("rg-demo"), new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });
        Plan plan = ArmHarness.PlanOf("""[{"type": "az_storage_account", "name": "stdemo02", "resource_group": "rg-demo"}]""", """[{"type": "az_resource_group", "name": "rg-demo"}]""");

        await h.ApplyAsync(ArmHarness.StepOf(plan, "az_storage_account/stdemo02", "chg-1"), default);

        Assert.Equal("westeurope", (string?)h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!["location"]);
        ResourceState? state = await h.Provider.ReadAsync("acme", plan.Steps[0].Resource, default);
        Assert.False(state!.Fields.ContainsKey("location"));
        Assert.Equal(ResourceFields.Of(plan.Steps[0].Resource), new SortedDictionary<string, string>(state.Fields, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Updating_a_resource_another_change_created_answers_200_keeps_its_owner_and_other_tags()
    {
        string id = ArmHarness.StorageId("rg-demo", "stdemo01");
        h.Arm.Seed(id, new JsonObject
        {
            ["type"] = "Microsoft.Storage/storageAccounts", ["location"] = "eastus", ["kind"] = "StorageV2", ["sku"] = new JsonObject { ["name"] = "Standard_GRS" },
            ["tags"] = new JsonObject { [AzureProvider.ChangeTag] = "chg-old", ["cost-center"] = "cc-42" },
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        });

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-2"), default);

        Assert.Equal("updated", record.Outcome);
        JsonNode tags = h.Arm.CallsTo("PUT", "storageAccounts")[0].Json!["tags"]!;
        Assert.Equal("chg-old", (string?)tags[AzureProvider.ChangeTag]);
        Assert.Equal("cc-42", (string?)tags["cost-center"]);
        Assert.Equal("Standard_LRS", (string?)h.Arm.Resource(id)!["sku"]!["name"]);
    }

    [Fact]
    public async Task Compensation_deletes_what_this_change_created_polling_the_Location_of_the_202()
    {
        Plan plan = ArmHarness.PlanOf(StorageJson);
        StepRequest step = ArmHarness.StepOf(plan, "az_storage_account/stdemo01", "chg-1");
        await h.ApplyAsync(step, default);
        h.Arm.Calls.Clear();
        h.PollDelays.Clear();

        StepRecord record = await h.CompensateAsync(step, default);

        Assert.Equal("deleted", record.Outcome);
        string path = ArmHarness.StorageId("rg-demo", "stdemo01");
        Assert.Equal($"DELETE {path}?api-version=2023-05-01", record.Cmd);
        Assert.Equal(["GET", "DELETE", "GET", "GET"], h.Arm.Calls.Select(c => c.Method));
        Assert.All(h.Arm.Calls.Skip(2), c => Assert.Contains("/operationResults/", c.Path, StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)], h.PollDelays);
        Assert.Null(h.Arm.Resource(path));

        Assert.Equal("absent", (await h.CompensateAsync(step, default)).Outcome);
    }

    [Fact]
    public async Task Compensation_leaves_alone_what_existed_before_the_change()
    {
        string id = ArmHarness.StorageId("rg-demo", "stdemo01");
        h.Arm.Seed(id, new JsonObject { ["type"] = "Microsoft.Storage/storageAccounts", ["location"] = "eastus", ["tags"] = new JsonObject { [AzureProvider.ChangeTag] = "chg-old" }, ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });

        StepRecord record = await h.CompensateAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-2"), default);

        Assert.Equal("kept", record.Outcome);
        Assert.Empty(h.Arm.CallsTo("DELETE", "/"));
        Assert.NotNull(h.Arm.Resource(id));
    }

    [Fact]
    public async Task A_resource_group_holding_resources_of_others_is_kept_and_an_own_empty_one_is_deleted()
    {
        Plan plan = ArmHarness.PlanOf(GroupJson);
        StepRequest group = ArmHarness.StepOf(plan, "az_resource_group/rg-demo", "chg-1");
        await h.ApplyAsync(group, default);
        string foreign = ArmHarness.StorageId("rg-demo", "stforeign");
        h.Arm.Seed(foreign, new JsonObject { ["type"] = "Microsoft.Storage/storageAccounts", ["location"] = "eastus", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });

        StepRecord kept = await h.CompensateAsync(group, default);
        Assert.Equal("kept", kept.Outcome);
        Assert.Contains("stforeign", kept.Stdout, StringComparison.Ordinal);
        Assert.Empty(h.Arm.CallsTo("DELETE", "/"));

        await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-1"), default);
        Assert.Equal("kept", (await h.CompensateAsync(group, default)).Outcome);

        // Once only this change's own resources are left, the group goes (and ARM deletes what is in it).
        h.Arm.Seed(foreign, new JsonObject { ["type"] = "Microsoft.Storage/storageAccounts", ["location"] = "eastus", ["tags"] = new JsonObject { [AzureProvider.ChangeTag] = "chg-1" }, ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });
        StepRecord deleted = await h.CompensateAsync(group, default);
        Assert.Equal("deleted", deleted.Outcome);
        Assert.Single(h.Arm.CallsTo("DELETE", "/resourcegroups/rg-demo"));
        Assert.Null(h.Arm.Resource(ArmHarness.GroupId("rg-demo")));
        Assert.Null(h.Arm.Resource(foreign));
    }

    [Fact]
    public async Task Throttling_429_is_retried_after_the_Retry_After_ARM_sent()
    {
        h.Arm.Fail("PUT", "/resourcegroups/rg-demo", HttpStatusCode.TooManyRequests, times: 2, retryAfter: "7", code: "TooManyRequests");

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1"), default);

        Assert.Equal("created", record.Outcome);
        Assert.Equal(3, h.Arm.CallsTo("PUT", "/resourcegroups/rg-demo").Count);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)], h.Time.Waits);
        Assert.Contains(h.Logger.Lines, l => l.Contains("ARM answered 429", StringComparison.Ordinal) && l.Contains("Retry-After: 7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_configured_cap_waits_the_cap()
    {
        h.Options.MaxRetryDelay = TimeSpan.FromSeconds(5);
        h.Arm.Fail("GET", "/resourcegroups/rg-demo", HttpStatusCode.TooManyRequests, retryAfter: "600");

        await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1"), default);

        Assert.Equal([TimeSpan.FromSeconds(5)], h.Time.Waits);
    }

    [Fact]
    public async Task Server_error_500_is_retried_with_backoff_then_succeeds()
    {
        h.Arm.Fail("PUT", "storageAccounts/stdemo01", HttpStatusCode.InternalServerError, code: "InternalServerError");

        StepRecord record = await h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(StorageJson), "az_storage_account/stdemo01", "chg-1"), default);

        Assert.Equal("created", record.Outcome);
        Assert.Equal(2, h.Arm.CallsTo("PUT", "storageAccounts").Count);
        TimeSpan backoff = h.Time.Waits.First();
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(1), h.Options.MaxRetryDelay);
    }

    [Fact]
    public async Task Server_errors_past_the_retry_budget_stay_transient_so_the_activity_retries()
    {
        h.Arm.Fail("PUT", "/resourcegroups/rg-demo", HttpStatusCode.ServiceUnavailable, times: 10);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1"), default));

        Assert.Equal(503, failure.Status);
        Assert.Equal(1 + h.Options.MaxRetries, h.Arm.CallsTo("PUT", "/resourcegroups/rg-demo").Count);
    }

    [Fact]
    public async Task Conflict_409_is_a_permanent_step_failure_and_is_not_retried()
    {
        h.Arm.Seed(ArmHarness.GroupId("rg-demo"), new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" } });

        var failure = await Assert.ThrowsAsync<StepFailedException>(() => h.ApplyAsync(ArmHarness.StepOf(ArmHarness.PlanOf(GroupJson), "az_resource_group/rg-demo", "chg-1"), default));

        Assert.Equal(409, failure.Rc);
        Assert.Equal("az_resource_group/rg-demo", failure.StepId);
        Assert.Contains("InvalidResourceGroupLocation", failure.Message, StringComparison.Ordinal);
        Assert.Single(h.Arm.CallsTo("PUT", "/resourcegroups/rg-demo"));
        Assert.Empty(h.Time.Waits);
    }

    [Fact]
    public async Task A_type_ARM_does_not_serve_here_is_refused_before_any_request()
    {
        Plan plan = ArmHarness.PlanOf("""[{"type": "k8s_namespace", "name": "team-a", "cluster": "aks-demo"}]""", """[{"type": "az_aks", "name": "aks-demo"}]""");

        var failure = await Assert.ThrowsAsync<StepFailedException>(() => h.ApplyAsync(ArmHarness.StepOf(plan, "k8s_namespace/team-a", "chg-1"), default));

        Assert.Equal(2, failure.Rc);
        Assert.Empty(h.Arm.Calls);
        Assert.Equal("absent", (await h.CompensateAsync(ArmHarness.StepOf(plan, "k8s_namespace/team-a", "chg-1"), default)).Outcome);
    }

    [Fact]
    public async Task Network_key_vault_and_AKS_bodies_have_ARM_shapes_and_read_back_like_the_plan()
    {
        h.Arm.PollsInProgress = 0;
        Plan plan = ArmHarness.PlanOf("""
            [{"type": "az_resource_group", "name": "rg-demo", "location": "eastus"},
             {"type": "az_vnet", "name": "vnet-demo", "resource_group": "rg-demo", "location": "eastus"},
             {"type": "az_key_vault", "name": "kv-demo", "resource_group": "rg-demo", "location": "eastus"},
             {"type": "az_aks", "name": "aks-demo", "resource_group": "rg-demo", "location": "eastus", "properties": {"node_count": 3}}]
            """);
        foreach (PlanStep step in plan.Steps)
        {
            await h.ApplyAsync(ArmHarness.StepOf(plan, step.Id, "chg-1"), default);
        }

        JsonNode vnet = h.Arm.CallsTo("PUT", "virtualNetworks")[0].Json!;
        Assert.Equal("10.0.0.0/16", (string?)vnet["properties"]!["addressSpace"]!["addressPrefixes"]![0]);
        FakeArm.Call vault = h.Arm.CallsTo("PUT", "Microsoft.KeyVault/vaults")[0];
        Assert.EndsWith("api-version=2023-07-01", vault.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(h.Options.TenantId, (string?)vault.Json!["properties"]!["tenantId"]);
        Assert.Equal("standard", (string?)vault.Json!["properties"]!["sku"]!["name"]);
        JsonNode aks = h.Arm.CallsTo("PUT", "managedClusters")[0].Json!;
        Assert.Equal("SystemAssigned", (string?)aks["identity"]!["type"]);
        Assert.Equal(3, (int)aks["properties"]!["agentPoolProfiles"]![0]!["count"]!);
        Assert.Equal(h.Options.DefaultAksNodeVmSize, (string?)aks["properties"]!["agentPoolProfiles"]![0]!["vmSize"]);

        foreach (PlanStep step in plan.Steps)
        {
            ResourceState? state = await ((IChangeProvider)h.Provider).ReadAsync("acme", step.Resource, default);
            Assert.Equal(ResourceFields.Of(step.Resource), new SortedDictionary<string, string>(state!.Fields, StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Quota_comes_from_the_compute_usages_of_the_location()
    {
        h.Arm.Usages["cores"] = (30, 100);

        int available = await h.Provider.QuotaAvailableAsync("acme", "cores", "eastus", default);

        Assert.Equal(70, available);
        Assert.Equal($"/subscriptions/{ArmHarness.Subscription}/providers/Microsoft.Compute/locations/eastus/usages?api-version=2024-07-01", h.Arm.Calls.Single().PathAndQuery);
        Assert.Equal($"Bearer {FakeTokenCredential.Token}", h.Arm.Calls.Single().Authorization);
    }

    [Fact]
    public async Task No_request_asks_a_resource_provider_for_its_api_versions_and_no_token_reaches_the_logs()
    {
        Plan plan = ArmHarness.PlanOf(StorageJson);
        h.Arm.Fail("PUT", "storageAccounts", HttpStatusCode.TooManyRequests, retryAfter: "1");
        foreach (PlanStep step in plan.Steps)
        {
            await h.ApplyAsync(ArmHarness.StepOf(plan, step.Id, "chg-1"), default);
        }

        foreach (PlanStep step in Enumerable.Reverse(plan.Steps))
        {
            await h.CompensateAsync(ArmHarness.StepOf(plan, step.Id, "chg-1"), default);
        }

        Assert.DoesNotContain(h.Arm.Calls, c => c.Path.EndsWith("/providers/Microsoft.Storage", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(h.Logger.Lines);
        Assert.DoesNotContain(h.Logger.Lines, l => l.Contains(FakeTokenCredential.Token, StringComparison.Ordinal));
    }
}
