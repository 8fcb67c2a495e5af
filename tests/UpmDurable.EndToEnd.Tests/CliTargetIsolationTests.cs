using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>A local host whose cli target is its own storage account (spelled <c>localhost</c> instead of <c>127.0.0.1</c>): the cli provider must stay off.</summary>
public sealed class SameAccountHostFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, "samehub")
        {
            CliTargetConnectionString = Azurite.ConnectionString.Replace("127.0.0.1", "localhost", StringComparison.Ordinal),
        };
        await Host.StartAsync();
        Api = new ChangeClient(Host);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>The cli provider acts with an account's full key: a host refuses to enable it on the service's own account.</summary>
public sealed class CliTargetIsolationTests(SameAccountHostFixture fixture) : IClassFixture<SameAccountHostFixture>
{
    static JsonObject CliChange(string suffix) => new()
    {
        ["request"] = $"List everything ({suffix})",
        ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["provider"] = "cli",
            ["resources"] = new JsonArray(new JsonObject { ["type"] = "command", ["name"] = $"list-{suffix}", ["command"] = "az storage container list --output json" }),
        },
        ["approvals"] = new JsonObject { ["required"] = 0 },
    };

    [Fact]
    public async Task Health_says_the_cli_provider_is_disabled_and_why()
    {
        var (status, body) = await fixture.Api.SendAsync(HttpMethod.Get, "/api/health", null);

        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode cli = body!["providers"]!["cli"]!;
        Assert.False(cli["enabled"]!.GetValue<bool>());
        Assert.Contains("service's own storage account", cli["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(body["providers"]!["sandbox"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("Provider cli is disabled", fixture.Host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cli_change_is_refused_naming_the_provider_and_nothing_starts()
    {
        var (status, body) = await fixture.Api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Submitter, CliChange(ChangeClient.Suffix()).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string[] messages = [.. body!["errors"]!["target.provider"]!.AsArray().Select(m => m!.GetValue<string>())];
        Assert.Contains(messages, m => m.Contains("'cli' provider is not enabled", StringComparison.Ordinal));
    }
}
