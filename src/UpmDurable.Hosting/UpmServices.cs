using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UpmDurable.Api;
using UpmDurable.Api.Webhooks;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Registration;
using UpmDurable.Workflows.Sweeps;

namespace UpmDurable.Hosting;

/// <summary>Wires what both hosts share: storage, providers, activities and the HTTP API.</summary>
public static class UpmServices
{
    /// <summary>Registers UpmDurable's services from configuration (<c>Upm:*</c>), with the host's own defaults.</summary>
    public static IServiceCollection AddUpmDurable(this IServiceCollection services, IConfiguration configuration, UpmHostDefaults? defaults = null)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        storage.ConnectionString ??= configuration["AzureWebJobsStorage"] is { Length: > 0 } jobs && !jobs.Contains("__", StringComparison.Ordinal) ? jobs : null;
        var keys = configuration.GetSection("Upm:ApiKeys").Get<List<ApiKeyEntry>>() ?? [];
        var evidence = configuration.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>() ?? new EvidenceOptions();
        if (string.IsNullOrEmpty(evidence.SigningKeyFile))
        {
            evidence.SigningKeyFile = defaults?.SigningKeyFile;
        }

        services.AddSingleton(WorkflowVersion.From(configuration));
        services.AddSingleton(storage);
        services.AddSingleton<StorageClients>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<BeforeImageStore>();
        services.AddSingleton<IBeforeImageStore>(sp => sp.GetRequiredService<BeforeImageStore>());
        services.AddSingleton<BeforeImageCapture>();
        services.AddSingleton<StepRestore>();
        services.AddSingleton<ChangeStore>();
        services.AddSingleton<ResourceLocks>();
        services.AddSingleton(evidence);
        services.AddSingleton<EvidenceKeys>();
        services.AddSingleton(PublicBaseUrl.From(configuration, defaults?.PublicBaseUrl));
        services.AddUpmProviders(configuration, storage, defaults?.SandboxEnabled ?? true);
        services.AddSingleton<RateLimiter>();
        services.AddSingleton(configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions());
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<Preflight>();
        services.AddSingleton(configuration.GetSection(BlastRadiusOptions.Section).Get<BlastRadiusOptions>() ?? new BlastRadiusOptions());
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(provider => new PrincipalResolver(keys, auth, PlatformAuthentication.FromEnvironment(), provider.GetRequiredService<ILogger<PrincipalResolver>>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChangeOperations>();
        services.AddSingleton(configuration.GetSection(RefusedApprovalOptions.Section).Get<RefusedApprovalOptions>() ?? new RefusedApprovalOptions());
        services.AddSingleton<RefusedApprovalLimiter>();
        services.AddSingleton(configuration.GetSection(Workflows.Diagnostics.TestingOptions.Section).Get<Workflows.Diagnostics.TestingOptions>() ?? new Workflows.Diagnostics.TestingOptions());
        services.AddSingleton<Workflows.Diagnostics.ActivityFaults>();
        services.AddSingleton<VisibleChanges>();
        services.AddSingleton<CallerGate>();
        services.AddSingleton<ChangeSubmission>();
        services.AddSingleton<ChangeQueries>();
        services.AddSingleton<ApprovalDesk>();
        services.AddSingleton<OperatorControls>();
        services.AddSingleton<EvidenceReads>();
        services.AddSingleton<KpiFacts>();
        services.AddSingleton<KpiReads>();
        services.AddSingleton<DriftControls>();
        services.AddSingleton<ChangeApi>();
        services.AddSingleton<ChangeJanitor>();
        services.AddSingleton<DriftReconciler>();
        services.AddSingleton(new WebhookChannels(configuration.GetSection("Upm:Webhooks").Get<Dictionary<string, WebhookProvider>>() ?? []));
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<WebhookApprovals>();
        services.AddSingleton(configuration.GetSection(NotifyOptions.Section).Get<NotifyOptions>() ?? new NotifyOptions());
        services.AddHttpClient(nameof(NotifyApprovers), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<EvidenceKeyCheck>();
        services.AddHostedService<DisabledProviderLog>();
        services.AddHostedService<IgnoredPrincipalHeaderLog>();
        services.AddHostedService<DisabledWebhookLog>();

        // The client activities need the host's Durable client, which the Functions worker has only as a trigger binding:
        // registered, they would stop a host that validates on build (Development, as `func start` runs it).
        foreach (Type activity in WorkflowTasks.Activities.Except(WorkflowTasks.ClientActivities))
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
    /// Loads the evidence signing key at start-up. A key file that cannot be used (group/other permissions, not a key) stops
    /// the host: it is this host's own file. A missing or unresolved setting is logged and the rest of the service runs:
    /// a Key Vault reference can resolve later, and approvals must not wait for evidence signing.
    /// </summary>
    sealed class EvidenceKeyCheck(EvidenceKeys keys, ILogger<EvidenceKeys> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                logger.LogInformation("Evidence packs are signed with key {KeyId} (from the {Source})", keys.GetSigner().KeyId, keys.Source);
            }
            catch (EvidenceKeyException ex) when (keys.Source != "file")
            {
                logger.LogError("Evidence packs cannot be signed: {Reason}", ex.Message);
            }

            return Task.CompletedTask;
        }

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

    /// <summary>Says at start-up that a configured trust in X-MS-CLIENT-PRINCIPAL is not honoured, so nobody relies on it unknowingly.</summary>
    sealed class IgnoredPrincipalHeaderLog(PrincipalResolver principals, ILogger<PrincipalResolver> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (principals.AppServicePrincipal == AppServicePrincipalTrust.Ignored)
            {
                logger.LogWarning("{Reason}", PrincipalResolver.IgnoredReason);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
