using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Providers.Cli;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Workflows.Tests;

/// <summary>Both hosts wire providers through AddUpmDurable: the cli provider is registered only with a target that is not the service's own account.</summary>
public sealed class CliProviderRegistrationTests
{
    const string Target = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10010/devstoreaccount1;";

    static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddUpmDurable(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void Without_a_target_the_cli_provider_is_disabled_with_the_reason()
    {
        using ServiceProvider services = Services([]);
        ProviderRegistry registry = services.GetRequiredService<ProviderRegistry>();

        Assert.DoesNotContain("cli", registry.Names);
        Assert.Null(registry.TryGet("cli"));
        DisabledProvider cli = Assert.Single(registry.Disabled);
        Assert.Equal("cli", cli.Name);
        Assert.Contains("Upm:Cli:StorageConnectionString is not set", cli.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "UseDevelopmentStorage=true")]
    [InlineData("UseDevelopmentStorage=true", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://localhost:10000/devstoreaccount1")]
    [InlineData(Target, Target)]
    public void A_target_on_the_services_own_account_disables_the_cli_provider_and_a_cli_request_is_refused(string? service, string target)
    {
        using ServiceProvider services = Services(new() { ["Upm:Storage:ConnectionString"] = service, ["Upm:Cli:StorageConnectionString"] = target });
        ProviderRegistry registry = services.GetRequiredService<ProviderRegistry>();

        Assert.DoesNotContain("cli", registry.Names);
        Assert.Contains("service's own storage account", Assert.Single(registry.Disabled).Reason, StringComparison.Ordinal);
        string json = """{"request": "x", "tenant": "acme", "target": {"provider": "cli", "resources": [{"type": "az_storage_container", "name": "logs"}]}}""";
        ChangeValidationException ex = Assert.Throws<ChangeValidationException>(() =>
            ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), registry.Names));
        Assert.Contains("target.provider", ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void The_functions_host_on_managed_identity_refuses_its_own_account_as_the_cli_target()
    {
        using ServiceProvider services = Services(new()
        {
            ["Upm:Storage:AccountName"] = "upmprod",
            ["Upm:Cli:StorageConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=upmprod;AccountKey=a2V5;EndpointSuffix=core.windows.net",
        });

        Assert.Equal("cli", Assert.Single(services.GetRequiredService<ProviderRegistry>().Disabled).Name);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=upmjobs;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("AzureWebJobsStorage:accountName", "upmjobs")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "https://upmjobs.blob.core.windows.net")]
    public void The_functions_runtimes_storage_is_the_services_too(string key, string value)
    {
        using ServiceProvider services = Services(new()
        {
            ["Upm:Storage:AccountName"] = "upmprod",
            [key] = value,
            ["Upm:Cli:StorageConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=upmjobs;AccountKey=a2V5",
        });

        Assert.Equal("cli", Assert.Single(services.GetRequiredService<ProviderRegistry>().Disabled).Name);
    }

    [Fact]
    public void A_separate_target_enables_the_cli_provider()
    {
        using ServiceProvider services = Services(new() { ["Upm:Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["Upm:Cli:StorageConnectionString"] = Target });
        ProviderRegistry registry = services.GetRequiredService<ProviderRegistry>();

        Assert.Contains("cli", registry.Names);
        Assert.Empty(registry.Disabled);
        CliProvider cli = Assert.IsType<CliProvider>(registry.Get("cli"));
        Assert.Equal([Target], cli.Environment.Values);
        Assert.Equal(ChildEnvironment.FixedPath, cli.Room.Path);
    }
}
