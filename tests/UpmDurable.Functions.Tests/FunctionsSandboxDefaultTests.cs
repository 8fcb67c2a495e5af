using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Providers;
using UpmDurable.Workflows;
using UpmDurable.Api;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Functions.Tests;

/// <summary>The Functions app runs without the sandbox unless <c>Upm:Sandbox:Enabled</c> turns it on, and its API document says so.</summary>
public sealed class FunctionsSandboxDefaultTests
{
    static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddUpmDurable(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), FunctionsHost.HostDefaults).BuildServiceProvider();

    static JsonObject Paths(ServiceProvider services)
    {
        var result = (ApiResult)new DashboardFunctions(services.GetRequiredService<ChangeOperations>()).OpenApi(new DefaultHttpContext().Request);
        return JsonNode.Parse((string)result.Body!)!["paths"]!.AsObject();
    }

    [Fact]
    public void Unconfigured_the_app_has_no_sandbox_and_no_tamper_route_in_its_API_document()
    {
        using ServiceProvider services = Services([]);

        Assert.False(FunctionsHost.HostDefaults.SandboxEnabled);
        Assert.DoesNotContain("sandbox", services.GetRequiredService<ProviderRegistry>().Names);
        Assert.Contains(services.GetRequiredService<ProviderRegistry>().Disabled, d => d.Name == "sandbox");
        Assert.False(Paths(services).ContainsKey("/api/sandbox/resources/{type}/{name}"));
    }

    [Fact]
    public void Upm_Sandbox_Enabled_true_turns_it_on_as_local_settings_json_does_for_func_start()
    {
        using ServiceProvider services = Services(new() { ["Upm:Sandbox:Enabled"] = "true" });

        Assert.Contains("sandbox", services.GetRequiredService<ProviderRegistry>().Names);
        Assert.True(Paths(services).ContainsKey("/api/sandbox/resources/{type}/{name}"));
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRootOf(AppContext.BaseDirectory), "local.settings.sample.json")))!;
        Assert.Equal("true", (string?)sample["Values"]!["Upm__Sandbox__Enabled"]);
    }

    static string RepositoryRootOf(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpmDurable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("UpmDurable.sln not found above " + start);
    }
}
