using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpmDurable.Providers;
using UpmDurable.Providers.Cli;
using UpmDurable.Storage;

namespace UpmDurable.Workflows;

/// <summary>Wires the <c>cli</c> provider: the guarded runner over pinned tools, acting on <c>Upm:Cli:StorageConnectionString</c>.</summary>
public static class CliProviderServices
{
    public static IServiceCollection AddCliProvider(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        var cli = configuration.GetSection(CliOptions.Section).Get<CliOptions>() ?? new CliOptions();

        // In Azure (managed identity, no connection string) the cli target must be configured explicitly.
        string? serviceConnection = storage.ConnectionString ?? (string.IsNullOrEmpty(storage.AccountName) ? StorageOptions.Development : null);
        services.AddSingleton(cli);
        services.AddSingleton<CliLedger>();
        services.AddSingleton(sp =>
        {
            ILogger? logger = sp.GetService<ILoggerFactory>()?.CreateLogger("UpmDurable.Providers.Cli");
            return new CliProvider(sp.GetRequiredService<CliLedger>(), cli, serviceConnection, logger is null ? null : line => logger.LogInformation("{RunnerLine}", line));
        });
        services.AddSingleton<IChangeProvider>(sp => sp.GetRequiredService<CliProvider>());
        return services;
    }
}
