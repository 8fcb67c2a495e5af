using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Providers;
using UpmDurable.Providers.Azure;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Workflows.Tests;

public sealed class AzureProviderRegistrationTests
{
    static ProviderRegistry Registry(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddUpmDurable(configuration).BuildServiceProvider().GetRequiredService<ProviderRegistry>();
    }

    [Fact]
    public void Without_a_subscription_the_azure_provider_is_not_enabled()
    {
        ProviderRegistry registry = Registry([]);

        Assert.Equal("sandbox", registry.Get("sandbox").Name);
        Assert.Throws<InvalidOperationException>(() => registry.Get("azure"));
    }

    [Fact]
    public void With_a_subscription_the_azure_provider_is_enabled_with_the_configured_settings()
    {
        var services = new ServiceCollection().AddLogging().AddUpmDurable(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upm:Azure:SubscriptionId"] = "00000000-0000-0000-0000-0000000000aa",
            ["Upm:Azure:TenantSubscriptions:globex"] = "00000000-0000-0000-0000-0000000000bb",
            ["Upm:Azure:MaxRetries"] = "7",
            ["Upm:Azure:PollInterval"] = "00:00:02",
        }).Build()).BuildServiceProvider();

        Assert.IsType<AzureProvider>(services.GetRequiredService<ProviderRegistry>().Get("azure"));
        AzureOptions options = services.GetRequiredService<AzureOptions>();
        Assert.Equal(7, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), options.PollInterval);
        Assert.Equal("00000000-0000-0000-0000-0000000000bb", options.SubscriptionFor("globex"));
        Assert.Equal("00000000-0000-0000-0000-0000000000aa", options.SubscriptionFor("acme"));
    }
}
