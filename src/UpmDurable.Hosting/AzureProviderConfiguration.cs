using Microsoft.Extensions.Configuration;
using UpmDurable.Providers.Azure;

namespace UpmDurable.Hosting;

/// <summary>
/// Reads <c>Upm:Azure</c>. <c>ResourceGroups</c> may be a list (<c>Upm:Azure:ResourceGroups:0</c>, …) or one
/// comma-separated value, as an App Service setting carries it (the Bicep writes <c>Upm__Azure__ResourceGroups=rg-a,rg-b</c>).
/// </summary>
public static class AzureProviderConfiguration
{
    /// <summary>The azure provider's options, or null when the section is absent.</summary>
    public static AzureOptions? Read(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(AzureOptions.Section);
        AzureOptions? options = section.Get<AzureOptions>();
        if (options is not null && options.ResourceGroups.Count == 0 && section["ResourceGroups"] is { Length: > 0 } list)
        {
            options.ResourceGroups = [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }

        return options;
    }
}
