using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Two tenants' cli changes on the same container of the one storage account: the second waits for the first's lock
/// without being told its change, and rolling the second back leaves the container the first created in place.
/// </summary>
[Collection("host")]
public sealed class SharedTargetTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    readonly ChangeClient api = fixture.Api;

    BlobServiceClient Blobs => new(fixture.Target.ConnectionString);

    static JsonObject CliChange(string tenant, string suffix, params JsonObject[] resources) => new()
    {
        ["request"] = $"Shared container ({tenant}, {suffix})",
        ["tenant"] = tenant,
        ["target"] = new JsonObject { ["provider"] = "cli", ["resources"] = new JsonArray(resources) },
        ["drift"] = new JsonObject { ["mode"] = "off" },
    };

    [AzCliFact]
    public async Task A_second_tenant_waits_for_the_first_tenants_lock_unnamed_and_its_rollback_keeps_the_first_tenants_container()
    {
        string s = ChangeClient.Suffix();
        string container = $"shared-{s}";

        // Tenant acme creates the container (one low-risk step: the auto-approval lane), then holds its lock while its
        // health gate observes it.
        JsonObject first = CliChange("acme", s, new JsonObject { ["type"] = "az_storage_container", ["name"] = container });
        first["health_gate"] = new JsonObject { ["observe_seconds"] = 45, ["min_healthy_percent"] = 100 };
        var (a, _) = await api.SubmitAsync(first);
        DateTime deadline = DateTime.UtcNow + Timeout;
        while ((await api.GetAsync(a))["execution"]!["steps"]!.AsArray().Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"change {a} did not apply its step: {await api.GetAsync(a)}");
            await Task.Delay(250);
        }

        // Tenant globex targets the same container, then a step that fails: it rolls back.
        var (b, _) = await api.SubmitAsync(
            CliChange(
                "globex",
                s,
                new JsonObject { ["type"] = "az_storage_container", ["name"] = container },
                new JsonObject
                {
                    ["type"] = "command", ["name"] = $"check-{s}", ["depends_on"] = new JsonArray(container),
                    ["command"] = $"az storage container show --name missing-{s} --output json",
                }),
            ChangeClient.OtherTenant);

        // A command step always needs a human: globex's second approver decides.
        JsonNode approval = await api.WaitForStatusAsync(b, ChangeClient.OtherTenant, Timeout, "awaiting_approval", "completed", "rolled_back", "failed");
        Assert.Equal("awaiting_approval", approval["status"]!.GetValue<string>());
        var (decided, answer) = await api.DecideAsync(b, "approve", approval["approvals"]!["plan_hash"]!.GetValue<string>(), HostFixture.GlobexApproverKey);
        Assert.True(decided == System.Net.HttpStatusCode.Accepted, $"{decided} {answer}");

        JsonNode waiting = await api.WaitForStatusAsync(b, ChangeClient.OtherTenant, Timeout, "waiting_for_lock", "completed", "rolled_back", "failed");
        Assert.Equal("waiting_for_lock", waiting["status"]!.GetValue<string>());
        Assert.Contains($"az_storage_container/{container} (held by a change of another tenant)", waiting["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(a, waiting.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("running", (await api.GetAsync(a))["status"]!.GetValue<string>());

        JsonNode firstDone = await api.WaitForStatusAsync(a, Timeout, "completed", "failed", "rolled_back", "rollback_failed");
        JsonNode secondDone = await api.WaitForStatusAsync(b, ChangeClient.OtherTenant, Timeout, "rolled_back", "completed", "failed", "rollback_failed");

        Assert.Equal("completed", firstDone["status"]!.GetValue<string>());
        Assert.Equal("rolled_back", secondDone["status"]!.GetValue<string>());
        var applied = secondDone["execution"]!["steps"]!.AsArray().ToDictionary(e => e!["step_id"]!.GetValue<string>(), e => e!["outcome"]!.GetValue<string>());
        Assert.Equal("unchanged", applied[$"az_storage_container/{container}"]);
        var rollback = secondDone["rollback"]!["steps"]!.AsArray().ToDictionary(r => r!["step_id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
        // The first tenant's container equals its before-image (the second change left it unchanged): the rollback leaves it.
        Assert.Equal("unchanged", rollback[$"az_storage_container/{container}"]);
        var metadata = (await Blobs.GetBlobContainerClient(container).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(a, metadata["upm_change"]);
    }
}
