using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Providers;
using UpmDurable.Providers.Azure;
using UpmDurable.Providers.Cli;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;
using UpmDurable.Workflows.RateLimits;

namespace UpmDurable.Hosting;

/// <summary>
/// The one registration point of the change providers both hosts run: the sandbox (<c>Upm:Sandbox</c>), azure
/// (<c>Upm:Azure</c>, only with a subscription) and the guarded cli (<c>Upm:Cli</c>, only on a target that is not the
/// service's own account); each provider left out is named with why (<see cref="DisabledProvider"/>). Then the registry
/// over them and the per-provider rate limits (<c>Upm:RateLimits</c>).
/// </summary>
public static class ProviderServices
{
    public static IServiceCollection AddUpmProviders(this IServiceCollection services, IConfiguration configuration, StorageOptions storage, bool sandboxByDefault)
    {
        var sandbox = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        services.AddSandboxProvider(sandbox, sandboxByDefault);
        services.AddAzureProvider(AzureProviderConfiguration.Read(configuration)); // only when Upm:Azure:SubscriptionId is set
        services.AddCliProvider(configuration, storage);
        services.AddSingleton<ProviderRegistry>();
        IReadOnlyDictionary<string, RateLimit> rateLimits = ProviderRateLimits.Read(configuration);
        services.AddSingleton(sp => new ProviderRateLimits(rateLimits, sp.GetService<AzureOptions>(), sp.GetService<CliOptions>()));
        return services;
    }
}
