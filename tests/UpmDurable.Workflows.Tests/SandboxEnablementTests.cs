using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Api;
using UpmDurable.Api.Health;
using UpmDurable.Hosting;
using UpmDurable.Providers;
using UpmDurable.Providers.Sandbox;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// <c>Upm:Sandbox:Enabled</c>: off, the sandbox provider is not registered (a change naming it, or naming no provider,
/// is refused with 400 on <c>target.provider</c>), its tamper route answers 404 to anyone and leaves the API document,
/// and health and the scorecard's facts say it is off. The host decides the default: local on, Functions off.
/// </summary>
public sealed class SandboxEnablementTests
{
    const string AdminKey = "admin-key-for-sandbox-tests";
    const string SubmitterKey = "submitter-key-for-sandbox-tests";

    static ServiceProvider Services(bool? enabled, UpmHostDefaults? defaults = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Upm:ApiKeys:0:Hash"] = PrincipalResolver.HashKey(AdminKey), ["Upm:ApiKeys:0:Principal"] = "erin", ["Upm:ApiKeys:0:Tenant"] = "acme", ["Upm:ApiKeys:0:Roles:0"] = "admin",
            ["Upm:ApiKeys:1:Hash"] = PrincipalResolver.HashKey(SubmitterKey), ["Upm:ApiKeys:1:Principal"] = "alice", ["Upm:ApiKeys:1:Tenant"] = "acme", ["Upm:ApiKeys:1:Roles:0"] = "submitter",
        };
        if (enabled is { } on)
        {
            settings["Upm:Sandbox:Enabled"] = on ? "true" : "false";
        }

        return new ServiceCollection().AddLogging().AddUpmDurable(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), defaults).BuildServiceProvider();
    }

    static HttpRequest Request(string method, string path, string? key, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        if (key is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {key}";
        }

        return context.Request;
    }

    [Theory]
    [InlineData(null, true, true)] // no host default given: on (tests, tools)
    [InlineData(null, false, false)] // the Functions app's default
    [InlineData(true, false, true)] // configured on a host whose default is off
    [InlineData(false, true, false)] // configured off on the local host
    public void The_setting_wins_over_the_host_default(bool? configured, bool hostDefault, bool expected)
    {
        using ServiceProvider services = Services(configured, new UpmHostDefaults(SandboxEnabled: hostDefault));
        ProviderRegistry registry = services.GetRequiredService<ProviderRegistry>();

        Assert.Equal(expected, registry.Names.Contains("sandbox"));
        Assert.Equal(expected, registry.TryGet("sandbox") is SandboxProvider);
        Assert.Equal(!expected, registry.Disabled.Any(d => d.Name == "sandbox"));
    }

    [Fact]
    public void Off_health_lists_the_sandbox_as_disabled_with_the_reason_and_the_scorecard_facts_leave_it_out()
    {
        using ServiceProvider services = Services(false);
        ChangeOperations operations = services.GetRequiredService<ChangeOperations>();

        ProviderHealth sandbox = operations.ProviderHealth()["sandbox"];
        Assert.False(sandbox.Enabled);
        Assert.Equal(SandboxOptions.DisabledReason, sandbox.Reason);
        Assert.Contains("Upm:Sandbox:Enabled is false", sandbox.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox", operations.EnabledProviders);

        using ServiceProvider on = Services(true);
        Assert.Equal(new ProviderHealth(true, null), on.GetRequiredService<ChangeOperations>().ProviderHealth()["sandbox"]);
        Assert.Contains("sandbox", on.GetRequiredService<ChangeOperations>().EnabledProviders);
    }

    [Fact]
    public async Task Off_the_tamper_route_answers_404_even_to_an_admin_and_touches_nothing()
    {
        using ServiceProvider services = Services(false);
        ChangeApi api = services.GetRequiredService<ChangeApi>();

        foreach (string? key in new[] { AdminKey, null })
        {
            ApiResult result = await api.SandboxTamperAsync(Request("POST", "/api/sandbox/resources/az_vnet/vnet-1", key, """{"health": "unhealthy"}"""), "az_vnet", "vnet-1");

            Assert.Equal(404, result.Status);
            var problem = Assert.IsType<ApiResult.ProblemBody>(result.Body);
            Assert.Equal("No such route.", problem.Title);
            Assert.Equal("POST /api/sandbox/resources/az_vnet/vnet-1 is not a route of this API.", problem.Detail);
        }
    }

    [Fact]
    public void Off_the_tamper_route_is_absent_from_the_API_document_and_on_it_is_there()
    {
        const string Path = "/api/sandbox/resources/{type}/{name}";
        using ServiceProvider off = Services(false);
        using ServiceProvider on = Services(true);

        JsonObject offPaths = JsonNode.Parse(OpenApiDocument.JsonFor(off.GetRequiredService<ChangeOperations>().EnabledProviders))!["paths"]!.AsObject();
        JsonObject onPaths = JsonNode.Parse(OpenApiDocument.JsonFor(on.GetRequiredService<ChangeOperations>().EnabledProviders))!["paths"]!.AsObject();

        Assert.False(offPaths.ContainsKey(Path));
        Assert.True(onPaths.ContainsKey(Path));
        Assert.Equal(onPaths.Count - 1, offPaths.Count);
        Assert.Equal(OpenApiDocument.Json, OpenApiDocument.JsonFor(on.GetRequiredService<ChangeOperations>().EnabledProviders));
        Assert.Equal(["tamperSandboxResource"], ApiRoutes.All.Where(r => r.RequiresProvider is not null).Select(r => r.OperationId));
    }

    [Theory]
    [InlineData("""{"provider": "sandbox", "resources": [{"type": "az_resource_group", "name": "rg-1", "location": "eastus"}]}""", "The 'sandbox' provider is not enabled on this host")]
    [InlineData("""{"resources": [{"type": "az_resource_group", "name": "rg-1", "location": "eastus"}]}""", "Required on this host: the default provider 'sandbox' is not enabled here")]
    public async Task Off_a_change_for_the_sandbox_or_for_no_named_provider_is_a_400_naming_target_provider(string target, string message)
    {
        using ServiceProvider services = Services(false);
        ChangeApi api = services.GetRequiredService<ChangeApi>();

        ApiResult result = await api.DryRunAsync(Request("POST", "/api/plans", SubmitterKey, $$"""{"request": "a group", "tenant": "acme", "target": {{target}}}"""));

        Assert.Equal(400, result.Status);
        var problem = Assert.IsType<ApiResult.ProblemBody>(result.Body);
        string error = Assert.Single(problem.Errors!["target.provider"]);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.EndsWith("enabled: none.", error, StringComparison.Ordinal);
    }
}
