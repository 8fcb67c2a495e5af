using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Changes on the <c>cli</c> provider through the local host: the pinned Azure CLI provisions real containers, queues
/// and tables in the target Azurite, a separate account from the one the service keeps its own data in.
/// </summary>
[Collection("host")]
public sealed class CliProviderTests(HostFixture fixture)
{
    // az answers in ~1.5 s on a quiet machine; builders share 2 cores here.
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    readonly ChangeClient api = fixture.Api;

    BlobServiceClient Blobs => new(fixture.Target.ConnectionString);

    BlobServiceClient ServiceBlobs => new(fixture.Azurite.ConnectionString);

    string AccountKey => fixture.Target.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];

    static JsonObject CliChange(string suffix, params JsonObject[] resources) => new()
    {
        ["request"] = $"Storage for team alpha ({suffix})",
        ["tenant"] = "acme",
        ["target"] = new JsonObject { ["provider"] = "cli", ["resources"] = new JsonArray(resources) },
    };

    [AzCliFact]
    public async Task A_cli_change_creates_real_containers_queues_and_tables_and_stores_no_secret()
    {
        string s = ChangeClient.Suffix();
        var (id, _) = await api.SubmitApprovedAsync(CliChange(
            s,
            new JsonObject { ["type"] = "az_storage_container", ["name"] = $"logs-{s}", ["properties"] = new JsonObject { ["team"] = "alpha" } },
            new JsonObject { ["type"] = "az_storage_container", ["name"] = $"data-{s}" },
            new JsonObject { ["type"] = "az_storage_queue", ["name"] = $"jobs-{s}", ["properties"] = new JsonObject { ["team"] = "alpha" } },
            new JsonObject { ["type"] = "az_storage_table", ["name"] = $"orders{s}" }));

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back", "rollback_failed", "preflight_failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.False(done["simulated"]!.GetValue<bool>());
        var logs = (await Blobs.GetBlobContainerClient($"logs-{s}").GetPropertiesAsync()).Value;
        Assert.Equal("alpha", logs.Metadata["team"]);
        Assert.Equal(id, logs.Metadata["upm_change"]);
        Assert.True((await Blobs.GetBlobContainerClient($"data-{s}").ExistsAsync()).Value);
        Assert.False((await ServiceBlobs.GetBlobContainerClient($"logs-{s}").ExistsAsync()).Value, "the service's own account must not be touched");
        Assert.Single(new TableServiceClient(fixture.Target.ConnectionString).Query(t => t.Name == $"orders{s}"));
        var steps = done["execution"]!["steps"]!.AsArray();
        Assert.Equal(4, steps.Count);
        Assert.All(steps, step =>
        {
            Assert.Equal(0, step!["rc"]!.GetValue<int>());
            Assert.Equal("created", step["outcome"]!.GetValue<string>());
            Assert.StartsWith("az storage ", step["cmd"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(step["simulated"]);
            Assert.False(step["stderr_trunc"]!.GetValue<bool>());
        });
        Assert.True(done["verification"]!["ok"]!.GetValue<bool>(), done["verification"]!.ToJsonString());
        Assert.Contains(done["preflight"]!["checks"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "tool_version" && c["ok"]!.GetValue<bool>());

        string everything = done.ToJsonString() + await EvidencePackTextAsync(id) + fixture.Host.Log;
        Assert.DoesNotContain(AccountKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Target.ConnectionString, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_lists_the_cli_provider_as_enabled_on_a_separate_target()
    {
        var (status, body) = await api.SendAsync(HttpMethod.Get, "/api/health", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.True(body!["providers"]!["cli"]!["enabled"]!.GetValue<bool>());
        Assert.Null(body["providers"]!["cli"]!["reason"]);
    }

    [AzCliFact]
    public async Task A_command_step_listing_containers_sees_the_target_account_not_the_services()
    {
        string s = ChangeClient.Suffix();
        await Blobs.GetBlobContainerClient($"target-only-{s}").CreateAsync();
        Assert.True((await ServiceBlobs.GetBlobContainerClient($"{fixture.Host.StoragePrefix}-evidence").ExistsAsync()).Value);

        var (id, _) = await api.SubmitApprovedAsync(CliChange(
            s,
            new JsonObject { ["type"] = "command", ["name"] = $"list-{s}", ["command"] = "az storage container list --output json" }));

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back", "rollback_failed", "preflight_failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        string listed = done["execution"]!["steps"]!.AsArray().Single()!["stdout"]!.GetValue<string>();
        Assert.Contains($"target-only-{s}", listed, StringComparison.Ordinal);
        Assert.DoesNotContain($"{fixture.Host.StoragePrefix}-evidence", listed, StringComparison.Ordinal);
        Assert.DoesNotContain($"{fixture.Host.StoragePrefix}-records", listed, StringComparison.Ordinal);
    }

    [AzCliFact]
    public async Task A_failing_cli_change_rolls_back_only_what_it_created()
    {
        string s = ChangeClient.Suffix();
        await Blobs.GetBlobContainerClient($"old-{s}").CreateAsync();
        var (id, _) = await api.SubmitApprovedAsync(CliChange(
            s,
            new JsonObject { ["type"] = "az_storage_container", ["name"] = $"new-{s}" },
            new JsonObject { ["type"] = "az_storage_container", ["name"] = $"old-{s}", ["adopt"] = true },
            new JsonObject
            {
                ["type"] = "command", ["name"] = $"check-{s}", ["depends_on"] = new JsonArray($"new-{s}", $"old-{s}"),
                ["command"] = $"az storage container show --name missing-{s} --output json",
            }));

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "rolled_back", "completed", "failed", "rollback_failed", "preflight_failed");

        Assert.Equal("rolled_back", done["status"]!.GetValue<string>());
        var failed = done["execution"]!["steps"]!.AsArray().Single(e => e!["step_id"]!.GetValue<string>() == $"command/check-{s}")!;
        Assert.Equal("failed", failed["outcome"]!.GetValue<string>());
        Assert.Contains("ContainerNotFound", failed["stderr"]!.GetValue<string>(), StringComparison.Ordinal);
        var rollback = done["rollback"]!["steps"]!.AsArray().ToDictionary(r => r!["step_id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
        Assert.Equal("deleted", rollback[$"az_storage_container/new-{s}"]);
        // It existed before (adopted) and the change left its fields as they were: restoring its before-image is a no-op.
        Assert.Equal("unchanged", rollback[$"az_storage_container/old-{s}"]);
        Assert.False((await Blobs.GetBlobContainerClient($"new-{s}").ExistsAsync()).Value);
        Assert.True((await Blobs.GetBlobContainerClient($"old-{s}").ExistsAsync()).Value);
    }

    [Fact]
    public async Task A_cli_command_step_naming_a_tool_outside_the_catalog_is_refused_at_submit()
    {
        string s = ChangeClient.Suffix();
        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, CliChange(
            s,
            new JsonObject { ["type"] = "command", ["name"] = $"ns-{s}", ["command"] = $"kubectl-1.29 create namespace ns-{s}" }).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string message = body!["errors"]!["target.resources[0].command"]![0]!.GetValue<string>();
        Assert.Contains("kubectl-1.29", message, StringComparison.Ordinal);
        Assert.Contains($"ns-{s}", message, StringComparison.Ordinal);
    }

    async Task<string> EvidencePackTextAsync(string id)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/evidence", ChangeClient.Auditor);
        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var text = new StringBuilder();
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(await reader.ReadToEndAsync());
        }

        Assert.Contains("az storage container create", text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }
}
