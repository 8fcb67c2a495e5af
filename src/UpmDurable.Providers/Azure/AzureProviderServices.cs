using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpmDurable.Providers.Azure;

/// <summary>Registers the azure provider.</summary>
public static class AzureProviderServices
{
    /// <summary>Adds the azure provider when <c>Upm:Azure:SubscriptionId</c> is set; without it the host runs without Azure.</summary>
    public static IServiceCollection AddAzureProvider(this IServiceCollection services, AzureOptions? options)
    {
        if (options is null || string.IsNullOrWhiteSpace(options.SubscriptionId))
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton<IChangeProvider>(sp => new AzureProvider(
            options,
            // The host's managed identity in Azure, the developer's az login locally; tokens never leave the pipeline.
            new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId, TenantId = options.TenantId }),
            sp.GetService<ILoggerFactory>()?.CreateLogger<AzureProvider>() ?? NullLogger<AzureProvider>.Instance,
            sp.GetService<TimeProvider>()));
        return services;
    }
}
