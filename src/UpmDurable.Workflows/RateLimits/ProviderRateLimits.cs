using Microsoft.Extensions.Configuration;
using UpmDurable.Providers.Azure;
using UpmDurable.Providers.Cli;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.RateLimits;

/// <summary>
/// The rate limit of each provider (configuration <c>Upm:{Azure|Cli|Sandbox}:RateLimit:{PerMinute,InFlight,LeaseMinutes}</c>,
/// beside the provider's other settings) and the target it is counted on: the subscription for azure (ARM throttles
/// writes per subscription), the storage account for cli, the tenant for the sandbox (a simulated cloud per tenant).
/// The one home of both rules; docs/rate-limits.md.
/// </summary>
public sealed class ProviderRateLimits(IReadOnlyDictionary<string, RateLimit> limits, AzureOptions? azure = null, CliOptions? cli = null)
{
    /// <summary>
    /// Limits in force when configuration says nothing. azure: 20 writes a minute (ARM's classic budget is 1,200 writes an
    /// hour per subscription) and 8 operations at once; cli: 120 a minute and 8 at once (each is an <c>az</c> process on
    /// this host); sandbox: off (nothing real to protect, and the test suite must not wait).
    /// </summary>
    public static IReadOnlyDictionary<string, RateLimit> Defaults { get; } = new Dictionary<string, RateLimit>(StringComparer.Ordinal)
    {
        ["azure"] = new() { PerMinute = 20, InFlight = 8 },
        ["cli"] = new() { PerMinute = 120, InFlight = 8 },
        ["sandbox"] = new(),
    };

    /// <summary>The configuration section of each provider's settings (the limit is its <c>RateLimit</c> child).</summary>
    static readonly Dictionary<string, string> Sections = new(StringComparer.Ordinal)
    {
        ["azure"] = AzureOptions.Section,
        ["cli"] = CliOptions.Section,
        ["sandbox"] = SandboxOptions.Section,
    };

    /// <summary>Each known provider's limit: its default, with what configuration sets. A negative number stops the host, naming the key.</summary>
    public static IReadOnlyDictionary<string, RateLimit> Read(IConfiguration configuration)
    {
        var read = new Dictionary<string, RateLimit>(StringComparer.Ordinal);
        foreach ((string provider, string section) in Sections)
        {
            IConfigurationSection limit = configuration.GetSection($"{section}:RateLimit");
            RateLimit fallback = Defaults[provider];
            read[provider] = new RateLimit
            {
                PerMinute = Number(limit, nameof(RateLimit.PerMinute)) ?? fallback.PerMinute,
                InFlight = Number(limit, nameof(RateLimit.InFlight)) ?? fallback.InFlight,
                LeaseMinutes = Number(limit, nameof(RateLimit.LeaseMinutes)) is { } lease and > 0 ? lease : fallback.LeaseMinutes,
            };
        }

        return read;
    }

    static int? Number(IConfigurationSection section, string key)
    {
        string? text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new InvalidOperationException($"{section.Path}:{key} must be a whole number, 0 or more (0 turns that bound off); it is '{text}'.");
    }

    /// <summary>The provider's limit; a provider not configured here has none.</summary>
    public RateLimit For(string provider) => limits.GetValueOrDefault(provider) ?? new RateLimit();

    /// <summary>What a tenant's steps on that provider count against.</summary>
    public string TargetOf(string provider, string tenant) => provider switch
    {
        "sandbox" => tenant,
        "azure" when azure is not null => azure.SubscriptionFor(tenant),
        "cli" when StorageAccountAddress.Parse(cli?.StorageConnectionString) is { } account => account.BlobEndpoint,
        _ => "default", // Allow-list: any other provider is one target for everyone (the safe side).
    };

    /// <summary>True when every one of the providers has a limit in force (the scorecard's execute L3 fact); false for none.</summary>
    public bool CoverAll(IEnumerable<string> providers)
    {
        var names = providers.ToList();
        return names.Count > 0 && names.All(p => For(p).IsOn);
    }

    /// <summary>Each provider's limit as shown, in name order: <c>azure: 20/min, 8 in flight</c>, <c>sandbox: off</c>.</summary>
    public List<string> Describe(IEnumerable<string> providers) => [.. providers.Order(StringComparer.Ordinal).Select(p => $"{p}: {For(p)}")];

    /// <summary>The limiter for that provider and tenant, or null when the provider has no limit (its steps take no permits).</summary>
    public RateLimitScope? ScopeOf(string provider, string tenant) =>
        For(provider) is { IsOn: true } limit ? new RateLimitScope(provider, TargetOf(provider, tenant), limit) : null;
}
