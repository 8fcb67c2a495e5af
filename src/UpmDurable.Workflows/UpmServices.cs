using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Providers.Azure;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Http;
using UpmDurable.Workflows.Http.Webhooks;

namespace UpmDurable.Workflows;

/// <summary>Wires what both hosts share: storage, providers, activities and the HTTP API.</summary>
public static class UpmServices
{
    /// <summary>Registers UpmDurable's services from configuration (<c>Upm:*</c>).</summary>
    public static IServiceCollection AddUpmDurable(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        storage.ConnectionString ??= configuration["AzureWebJobsStorage"] is { Length: > 0 } jobs && !jobs.Contains("__", StringComparison.Ordinal) ? jobs : null;
        var sandbox = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        var keys = configuration.GetSection("Upm:ApiKeys").Get<List<ApiKeyEntry>>() ?? [];
        var evidence = configuration.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>() ?? new EvidenceOptions();

        services.AddSingleton(storage);
        services.AddSingleton<StorageClients>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<ChangeStore>();
        services.AddSingleton<ResourceLocks>();
        services.AddSingleton(evidence);
        services.AddSingleton<EvidenceKeys>();
        services.AddSingleton(sandbox);
        services.AddSingleton<IChangeProvider, SandboxProvider>();
        services.AddAzureProvider(configuration.GetSection(AzureOptions.Section).Get<AzureOptions>()); // only when Upm:Azure:SubscriptionId is set
        services.AddCliProvider(configuration, storage);
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton(configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions());
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<Preflight>();
        services.AddSingleton(configuration.GetSection(BlastRadiusOptions.Section).Get<BlastRadiusOptions>() ?? new BlastRadiusOptions());
        services.AddSingleton(new PrincipalResolver(keys, configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChangeOperations>();
        services.AddSingleton(configuration.GetSection(RefusedApprovalOptions.Section).Get<RefusedApprovalOptions>() ?? new RefusedApprovalOptions());
        services.AddSingleton<RefusedApprovalLimiter>();
        services.AddSingleton<ChangeApi>();
        services.AddSingleton<DriftReconciler>();
        services.AddSingleton(new WebhookChannels(configuration.GetSection("Upm:Webhooks").Get<Dictionary<string, WebhookProvider>>() ?? []));
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<WebhookApprovals>();
        services.AddSingleton(configuration.GetSection(NotifyOptions.Section).Get<NotifyOptions>() ?? new NotifyOptions());
        services.AddHttpClient(nameof(NotifyApprovers), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<DisabledProviderLog>();
        services.AddHostedService<DisabledWebhookLog>();

        foreach (Type activity in WorkflowTasks.Activities)
        {
            services.AddTransient(activity);
        }

        return services;
    }

    /// <summary>Creates our containers and tables at start-up.</summary>
    sealed class StorageInitializer(StorageClients clients) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => clients.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>
    /// Says at start-up which configured approval webhooks are off and why: an error for a secret that is still a Key Vault
    /// reference (the vault or the app's access to it is broken), a warning for configuration not finished yet.
    /// </summary>
    sealed class DisabledWebhookLog(WebhookChannels channels, ILogger<WebhookChannels> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (WebhookChannel channel in channels.Disabled)
            {
                bool vault = WebhookChannels.IsUnresolvedKeyVaultReference(channel.Config.Secret) || WebhookChannels.IsUnresolvedKeyVaultReference(channel.Config.CredentialHash);
                logger.Log(vault ? LogLevel.Error : LogLevel.Warning, "Approval webhook {Provider} is disabled: {Reason}", channel.Name, channel.DisabledBecause);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Says at start-up which providers are off and why, so an operator does not learn it from a refused change.</summary>
    sealed class DisabledProviderLog(ProviderRegistry providers, ILogger<ProviderRegistry> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (DisabledProvider provider in providers.Disabled)
            {
                logger.LogWarning("Provider {Provider} is disabled: {Reason}", provider.Name, provider.Reason);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
