using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpmDurable.Providers;
using UpmDurable.Providers.Cli;
using UpmDurable.Storage;

namespace UpmDurable.Hosting;

/// <summary>
/// Wires the <c>cli</c> provider: the guarded runner over pinned tools, acting on <c>Upm:Cli:StorageConnectionString</c>.
/// Without that setting, or when it reaches the service's own account, the provider is not registered (requests naming
/// it are refused) and a <see cref="DisabledProvider"/> says why.
/// </summary>
internal static class CliProviderServices
{
    public static IServiceCollection AddCliProvider(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        var cli = configuration.GetSection(CliOptions.Section).Get<CliOptions>() ?? new CliOptions();
        if (CliTarget.Refusal(cli.StorageConnectionString, storage, RuntimeAccounts(configuration)) is { } refusal)
        {
            services.AddSingleton(new DisabledProvider("cli", refusal));
            return services;
        }

        services.AddSingleton(cli);
        services.AddSingleton<CliLedger>();
        services.AddSingleton(sp =>
        {
            ILogger? logger = sp.GetService<ILoggerFactory>()?.CreateLogger("UpmDurable.Providers.Cli");
            return new CliProvider(sp.GetRequiredService<CliLedger>(), cli, logger is null ? null : line => logger.LogInformation("{RunnerLine}", line));
        });
        services.AddSingleton<IChangeProvider>(sp => sp.GetRequiredService<CliProvider>());
        return services;
    }

    /// <summary>The Functions runtime's storage (<c>AzureWebJobsStorage</c>, a connection string or an identity-based account name or blob URI): the service's too.</summary>
    static List<StorageAccountAddress> RuntimeAccounts(IConfiguration configuration)
    {
        var accounts = new List<StorageAccountAddress>();
        if (StorageAccountAddress.Parse(configuration["AzureWebJobsStorage"]) is { } jobs)
        {
            accounts.Add(jobs);
        }

        if (configuration["AzureWebJobsStorage:accountName"] is { Length: > 0 } name)
        {
            accounts.Add(StorageAccountAddress.Of(new StorageOptions { AccountName = name })!);
        }

        if (configuration["AzureWebJobsStorage:blobServiceUri"] is { Length: > 0 } uri && StorageAccountAddress.Parse($"BlobEndpoint={uri}") is { } blob)
        {
            accounts.Add(blob);
        }

        return accounts;
    }
}
