using Microsoft.Extensions.Configuration;
using UpmDurable.Hosting;
using UpmDurable.Providers.Azure;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary><c>Upm:Azure:ResourceGroups</c> as the Bicep's app setting carries it (one comma-separated value) and as a list.</summary>
public sealed class AzureProviderConfigurationTests
{
    static AzureOptions? Read(Dictionary<string, string?> settings) =>
        AzureProviderConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void The_app_settings_the_Bicep_writes_enable_the_provider_with_its_target_groups()
    {
        AzureOptions options = Read(new()
        {
            ["Upm:Azure:SubscriptionId"] = "00000000-0000-0000-0000-0000000000aa",
            ["Upm:Azure:ResourceGroups"] = "rg-apps, rg-data,,",
            ["Upm:Azure:ManagedIdentityClientId"] = "11111111-0000-0000-0000-000000000001",
        })!;

        Assert.Equal(["rg-apps", "rg-data"], options.ResourceGroups);
        Assert.Equal("11111111-0000-0000-0000-000000000001", options.ManagedIdentityClientId);
        Assert.Equal(5, options.ReadAfterCreateAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReadAfterCreateDelay);
    }

    [Fact]
    public void A_list_and_the_read_after_create_bound_bind_as_configured()
    {
        AzureOptions options = Read(new()
        {
            ["Upm:Azure:SubscriptionId"] = "00000000-0000-0000-0000-0000000000aa",
            ["Upm:Azure:ResourceGroups:0"] = "rg-one",
            ["Upm:Azure:ResourceGroups:1"] = "rg-two",
            ["Upm:Azure:ReadAfterCreateAttempts"] = "8",
            ["Upm:Azure:ReadAfterCreateDelay"] = "00:00:00.250",
        })!;

        Assert.Equal(["rg-one", "rg-two"], options.ResourceGroups);
        Assert.Equal(8, options.ReadAfterCreateAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReadAfterCreateDelay);
    }

    [Fact]
    public void The_Bicep_setting_without_target_groups_leaves_the_provider_off()
    {
        AzureOptions? options = Read(new() { ["Upm:Azure:SubscriptionId"] = "", ["Upm:Azure:ResourceGroups"] = "" });

        Assert.True(options is null || string.IsNullOrWhiteSpace(options.SubscriptionId));
    }
}
