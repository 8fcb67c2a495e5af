namespace UpmDurable.Providers.Azure;

/// <summary>The azure provider: Azure Resource Manager through <c>DefaultAzureCredential</c>. Configuration section <c>Upm:Azure</c>.</summary>
public sealed class AzureOptions
{
    public const string Section = "Upm:Azure";

    /// <summary>The subscription changes are applied to. The provider is enabled only when this is set.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>A subscription per UPM tenant (tenant name → subscription id), overriding <see cref="SubscriptionId"/>.</summary>
    public Dictionary<string, string> TenantSubscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The Entra ID (directory) tenant: scopes the credential and is written into key vaults (<c>properties.tenantId</c>).</summary>
    public string? TenantId { get; set; }

    /// <summary>Client id of the user-assigned managed identity to authenticate as (the Function App's identity).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The ARM endpoint (sovereign clouds differ).</summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com");

    /// <summary>The token audience for <see cref="Endpoint"/>.</summary>
    public string Audience { get; set; } = "https://management.azure.com";

    /// <summary>How often a 429, 408 or 5xx answer is retried inside one activity attempt (the activity's own retry policy comes on top).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay when ARM sends no <c>Retry-After</c>; doubles per retry.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry, also when ARM's <c>Retry-After</c> asks for more.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Poll interval of a long-running operation when ARM sends no <c>Retry-After</c> (the orchestration's durable timer between polls).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two polls, also when ARM's <c>Retry-After</c> asks for more.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the orchestration waits for one long-running operation before the step fails (AKS creates take ~10
    /// minutes). The wait is durable timers between short polls, never one activity; the orchestration caps it at 24 h.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The resource groups changes act in (the Bicep's <c>azureTargetResourceGroups</c>, where the app's identity holds its
    /// role). A read that knows only a type and a name (a <c>resources_needed</c> prerequisite) GETs the resource's id in
    /// each of them, in order; reads of plan steps use the step's own group. Nothing lists or filters the subscription.
    /// </summary>
    public List<string> ResourceGroups { get; set; } = [];

    /// <summary>
    /// Reads of a resource right after ARM said its create succeeded, before a 404 is believed: ARM's reads can lag its
    /// writes for a few seconds. At least 1 (read once, no re-read).
    /// </summary>
    public int ReadAfterCreateAttempts { get; set; } = 5;

    /// <summary>The wait before the first re-read after a create; doubles per re-read, at most 8 times this.</summary>
    public TimeSpan ReadAfterCreateDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>api-version per ARM resource type, overriding the pinned ones of <see cref="ArmResourceMap"/>.</summary>
    public Dictionary<string, string> ApiVersions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>VM size of AKS system node pools when the request names none.</summary>
    public string DefaultAksNodeVmSize { get; set; } = "Standard_D2s_v5";

    /// <summary>Quotas that ARM's usage APIs do not cover (quota name → available), as the sandbox configures them.</summary>
    public Dictionary<string, int> Quotas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The subscription a tenant's changes go to.</summary>
    public string SubscriptionFor(string tenant) =>
        TenantSubscriptions.TryGetValue(tenant, out string? subscription) ? subscription
        : SubscriptionId ?? throw new InvalidOperationException($"{Section}:SubscriptionId is not configured.");
}
