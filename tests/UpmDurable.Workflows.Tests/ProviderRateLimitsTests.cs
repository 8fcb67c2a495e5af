using Microsoft.Extensions.Configuration;
using UpmDurable.Providers.Azure;
using UpmDurable.Providers.Cli;
using UpmDurable.Storage;
using UpmDurable.Workflows.RateLimits;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>Which limit each provider has (defaults and configuration), what it is counted on, and the scorecard's fact.</summary>
public sealed class ProviderRateLimitsTests
{
    static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Without_configuration_azure_and_cli_are_limited_and_the_sandbox_is_not()
    {
        var limits = new ProviderRateLimits(ProviderRateLimits.Read(Config()));

        Assert.Equal(new RateLimit { PerMinute = 20, InFlight = 8 }, limits.For("azure"));
        Assert.Equal(new RateLimit { PerMinute = 120, InFlight = 8 }, limits.For("cli"));
        Assert.False(limits.For("sandbox").IsOn);
        Assert.Null(limits.ScopeOf("sandbox", "acme"));
        Assert.False(limits.For("some-future-provider").IsOn);
    }

    [Fact]
    public void Configuration_beside_the_providers_settings_overrides_each_bound_and_zero_turns_one_off()
    {
        var limits = new ProviderRateLimits(ProviderRateLimits.Read(Config(
            ("Upm:Azure:RateLimit:PerMinute", "10"),
            ("Upm:Cli:RateLimit:InFlight", "0"),
            ("Upm:Sandbox:RateLimit:PerMinute", "600"),
            ("Upm:Sandbox:RateLimit:LeaseMinutes", "5"))));

        Assert.Equal(new RateLimit { PerMinute = 10, InFlight = 8 }, limits.For("azure"));
        Assert.Equal(new RateLimit { PerMinute = 120, InFlight = 0 }, limits.For("cli"));
        Assert.Equal(new RateLimit { PerMinute = 600, LeaseMinutes = 5 }, limits.For("sandbox"));
        Assert.Equal("600/min", limits.For("sandbox").ToString());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("ten")]
    public void A_bound_that_is_not_a_whole_number_stops_the_host_naming_the_key(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProviderRateLimits.Read(Config(("Upm:Azure:RateLimit:InFlight", value))));

        Assert.Contains("Upm:Azure:RateLimit:InFlight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_counts_on_the_tenants_subscription_cli_on_its_account_and_the_sandbox_on_the_tenant()
    {
        var azure = new AzureOptions { SubscriptionId = "sub-default", TenantSubscriptions = { ["globex"] = "sub-globex" } };
        var cli = new CliOptions { StorageConnectionString = "DefaultEndpointsProtocol=https;AccountName=sttarget;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net" };
        var limits = new ProviderRateLimits(ProviderRateLimits.Read(Config()), azure, cli);

        Assert.Equal("sub-default", limits.TargetOf("azure", "acme"));
        Assert.Equal("sub-globex", limits.TargetOf("azure", "globex"));
        Assert.Equal(limits.TargetOf("cli", "acme"), limits.TargetOf("cli", "globex"));
        Assert.Contains("sttarget", limits.TargetOf("cli", "acme"), StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", limits.TargetOf("cli", "acme"), StringComparison.Ordinal);
        Assert.Equal("acme", limits.TargetOf("sandbox", "acme"));
        Assert.Equal(new RateLimitScope("azure", "sub-globex", limits.For("azure")), limits.ScopeOf("azure", "globex"));
    }

    [Fact]
    public void The_scorecard_fact_holds_only_when_every_enabled_provider_has_a_limit()
    {
        var defaults = new ProviderRateLimits(ProviderRateLimits.Read(Config()));
        var sandboxLimited = new ProviderRateLimits(ProviderRateLimits.Read(Config(("Upm:Sandbox:RateLimit:InFlight", "4"))));

        Assert.True(defaults.CoverAll(["azure", "cli"]));
        Assert.False(defaults.CoverAll(["azure", "sandbox"]));
        Assert.False(defaults.CoverAll([]));
        Assert.True(sandboxLimited.CoverAll(["azure", "sandbox"]));
        Assert.Equal(["azure: 20/min, 8 in flight", "sandbox: off"], defaults.Describe(["sandbox", "azure"]));
    }
}
