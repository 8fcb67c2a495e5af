using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Rollback restores what was there (docs/rollback.md), through the local host on the sandbox: an update rolled back
/// after completion puts the before-image back, a later change is a conflict until forced, and a failed wave restores
/// the resources it had already updated.
/// </summary>
[Collection("drift")]
public sealed class RestoreTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    readonly ChangeClient api = fixture.Api;
    readonly Testing.Azurite azurite = fixture.Azurite;

    // AKS clusters in one resource group: one wave of clusters after the group's wave.
    static JsonObject Clusters(string s, int nodes, params string[] names)
    {
        var resources = new JsonArray(new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{s}", ["location"] = "eastus" });
        foreach (string name in names)
        {
            resources.Add(new JsonObject { ["type"] = "az_aks", ["name"] = $"{name}-{s}", ["resource_group"] = $"rg-{s}", ["properties"] = new JsonObject { ["node_count"] = nodes } });
        }

        return new JsonObject
        {
            ["request"] = $"Scale clusters of {s} to {nodes} nodes",
            ["source"] = "api",
            ["tenant"] = "acme",
            ["target"] = new JsonObject { ["cloud"] = "azure", ["provider"] = "sandbox", ["resources"] = resources },
            ["approvals"] = new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = 1, ["timeout"] = "P3D" },
        };
    }

    async Task<JsonNode> RunAsync(JsonObject change)
    {
        var (id, _) = await api.SubmitApprovedAsync(change);
        return await api.WaitForStatusAsync(id, Timeout, "completed", "rolled_back", "rollback_failed", "failed", "preflight_failed");
    }

    async Task<string?> NodeCountAsync(string name)
    {
        var row = await azurite.Clients().SandboxTable.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("acme", $"az_aks~{name}");
        return row.HasValue ? System.Text.Json.JsonDocument.Parse(row.Value!.GetString("Fields")).RootElement.GetProperty("properties.node_count").GetString() : null;
    }

    [Fact]
    public async Task An_update_rolled_back_after_completion_restores_its_before_image_and_a_later_change_is_a_conflict_until_forced()
    {
        string s = ChangeClient.Suffix();
        Assert.Equal("completed", (await RunAsync(Clusters(s, 2, "aks")))["status"]!.GetValue<string>());
        JsonNode update = await RunAsync(Clusters(s, 3, "aks"));
        string id = update["change_id"]!.GetValue<string>();
        Assert.Equal("completed", update["status"]!.GetValue<string>());
        Assert.All(update["execution"]!["steps"]!.AsArray(), step => Assert.StartsWith("sha256:", step!["before_image_sha256"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal("completed", (await RunAsync(Clusters(s, 4, "aks")))["status"]!.GetValue<string>());

        var (dryStatus, dry) = await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback?dry_run=true", ChangeClient.Approver);
        Assert.Equal(HttpStatusCode.OK, dryStatus);
        JsonNode aks = dry!["steps"]!.AsArray().Single(x => x!["step_id"]!.GetValue<string>() == $"az_aks/aks-{s}")!;
        Assert.Equal("restore", aks["action"]!.GetValue<string>());
        JsonNode change = Assert.Single(aks["changes"]!.AsArray())!;
        Assert.Equal(("properties.node_count", "4", "2"), (change["field"]!.GetValue<string>(), change["before"]!.GetValue<string>(), change["after"]!.GetValue<string>()));
        Assert.Contains($"az_aks/aks-{s}", Assert.Single(dry["conflicts"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);

        var (refused, problem) = await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback", ChangeClient.Admin);
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Contains($"az_aks/aks-{s}", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("4", await NodeCountAsync($"aks-{s}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback?force=yes", ChangeClient.Admin)).Status);

        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/rollback?force=true", ChangeClient.Admin, "{\"reason\":\"back to 2 nodes\"}")).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "rollback_failed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        Assert.True(done["rollback"]!["forced"]!.GetValue<bool>());
        Assert.Equal("2", await NodeCountAsync($"aks-{s}"));
        Assert.Equal("restored", done["rollback"]!["steps"]!.AsArray().Single(x => x!["step_id"]!.GetValue<string>() == $"az_aks/aks-{s}")!["outcome"]!.GetValue<string>());
        Assert.All(done["rollback"]!["read_backs"]!.AsArray(), r => Assert.Equal("restored", r!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failed_update_in_the_middle_of_a_wave_restores_the_resources_it_already_updated()
    {
        string s = ChangeClient.Suffix();
        Assert.Equal("completed", (await RunAsync(Clusters(s, 2, "aks-a", "aks-b", "aks-c")))["status"]!.GetValue<string>());
        JsonObject update = Clusters(s, 5, "aks-a", "aks-b", "aks-c");
        update["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"aks-b-{s}", ["on"] = "apply" });

        JsonNode done = await RunAsync(update);

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        var outcomes = done["rollback"]!["steps"]!.AsArray().ToDictionary(r => r!["step_id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
        Assert.Equal("restored", outcomes[$"az_aks/aks-a-{s}"]);
        Assert.Equal("restored", outcomes[$"az_aks/aks-c-{s}"]);
        Assert.Equal("2", await NodeCountAsync($"aks-a-{s}"));
        Assert.Equal("2", await NodeCountAsync($"aks-b-{s}"));
        Assert.Equal("2", await NodeCountAsync($"aks-c-{s}"));
    }
}
