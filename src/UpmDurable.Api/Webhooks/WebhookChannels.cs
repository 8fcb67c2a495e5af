using System.Text.RegularExpressions;
using UpmDurable.Api.Health;
using UpmDurable.Storage;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// The approval webhook providers of this host (configuration <c>Upm:Webhooks</c>), each checked once at start-up. A
/// provider whose configuration is incomplete or unsafe — a secret that is still an unresolved Key Vault reference, an
/// approver without a principal — is disabled: its requests are refused and <c>/api/health</c> says why.
/// </summary>
public sealed partial class WebhookChannels
{
    /// <summary>The provider kinds this service understands.</summary>
    public static readonly string[] Known = ["generic", "github", "servicenow", "jira"];

    /// <summary>Shortest shared secret accepted.</summary>
    public const int MinSecretLength = 16;

    readonly Dictionary<string, WebhookChannel> channels = new(StringComparer.Ordinal);

    public WebhookChannels(IReadOnlyDictionary<string, WebhookProvider> configured)
    {
        foreach (var (name, config) in configured)
        {
            string kind = name.ToLowerInvariant();
            if (Known.Contains(kind))
            {
                channels[kind] = new WebhookChannel(kind, config, Validate(kind, config));
            }
        }
    }

    /// <summary>The configured provider of that name (enabled or not), or null when it is unknown or not configured.</summary>
    public WebhookChannel? Find(string provider) => channels.GetValueOrDefault(provider);

    /// <summary>Configured providers that are disabled, for the start-up log.</summary>
    public IEnumerable<WebhookChannel> Disabled => channels.Values.Where(c => c.DisabledBecause is not null);

    /// <summary>Every known provider with whether it runs and why not (for <c>/api/health</c>).</summary>
    public SortedDictionary<string, ProviderHealth> Health()
    {
        var health = new SortedDictionary<string, ProviderHealth>(StringComparer.Ordinal);
        foreach (string kind in Known)
        {
            health[kind] = channels.TryGetValue(kind, out WebhookChannel? channel)
                ? new ProviderHealth(channel.DisabledBecause is null, channel.DisabledBecause)
                : new ProviderHealth(false, "not configured");
        }

        return health;
    }

    /// <summary>True when a setting still holds an unresolved Key Vault reference (<see cref="KeyVaultReference"/>).</summary>
    public static bool IsUnresolvedKeyVaultReference(string? value) => KeyVaultReference.IsUnresolved(value);

    /// <summary>
    /// Whether a payload's identity may be looked up (and, unknown, recorded): 1–200 of letters, digits and <c>._@:+-</c> —
    /// what GitHub logins, Jira account ids and emails, and ServiceNow user names are made of.
    /// </summary>
    public static bool IsIdentity(string? value) => value is not null && IdentityPattern().IsMatch(value);

    // Null when the provider's configuration is complete and safe, else the first thing wrong with it (never a value).
    static string? Validate(string kind, WebhookProvider config)
    {
        if (IsUnresolvedKeyVaultReference(config.Secret) || IsUnresolvedKeyVaultReference(config.CredentialHash))
        {
            return $"unresolved Key Vault reference in {(IsUnresolvedKeyVaultReference(config.Secret) ? "Secret" : "CredentialHash")}";
        }

        if (config.CredentialHash.Length > 0 && kind != "servicenow")
        {
            return "CredentialHash is only read for servicenow";
        }

        if (config.CredentialHash.Length > 0 && !Sha256HexPattern().IsMatch(config.CredentialHash))
        {
            return "CredentialHash is not a hex SHA-256 (64 hex digits)";
        }

        if (config.Secret.Length == 0 && config.CredentialHash.Length == 0)
        {
            return kind == "servicenow" ? "neither Secret nor CredentialHash is set" : "Secret is not set";
        }

        if (config.Secret.Length is > 0 and < MinSecretLength)
        {
            return $"Secret is shorter than {MinSecretLength} characters";
        }

        if (config.Tenant.Length == 0)
        {
            return "Tenant is not set";
        }

        if (config.ToleranceSeconds is < 1 or > 3600)
        {
            return "ToleranceSeconds must be 1 to 3600";
        }

        return ValidateFields(kind, config) ?? ValidateApprovers(config.Approvers);
    }

    static string? ValidateFields(string kind, WebhookProvider config)
    {
        if (kind == "jira")
        {
            if (config.ChangeIdField is null || config.PlanHashField is null || !JiraFieldPattern().IsMatch(config.ChangeIdField) || !JiraFieldPattern().IsMatch(config.PlanHashField))
            {
                return "ChangeIdField and PlanHashField must name Jira custom fields (customfield_NNNNN)";
            }

            var statuses = config.ApproveStatuses.Concat(config.RejectStatuses).ToList();
            if (statuses.Any(s => s.Trim().Length is 0 or > 60) || config.ApproveStatuses.Intersect(config.RejectStatuses, StringComparer.OrdinalIgnoreCase).Any())
            {
                return "ApproveStatuses and RejectStatuses must be names of 1 to 60 characters, none in both";
            }
        }
        else if (kind == "servicenow")
        {
            if (config.ChangeIdField is { } changeField && !ServiceNowFieldPattern().IsMatch(changeField) || config.PlanHashField is { } planField && !ServiceNowFieldPattern().IsMatch(planField))
            {
                return "ChangeIdField and PlanHashField must name custom ServiceNow fields (u_…)";
            }
        }
        else if (config.ChangeIdField is not null || config.PlanHashField is not null || config.ApproveStatuses.Count > 0 || config.RejectStatuses.Count > 0)
        {
            return "ChangeIdField, PlanHashField, ApproveStatuses and RejectStatuses are only read for jira and servicenow";
        }

        return null;
    }

    static string? ValidateApprovers(List<WebhookApprover> approvers)
    {
        if (approvers.Count == 0)
        {
            return "no Approvers configured: nobody's decision could count";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < approvers.Count; i++)
        {
            WebhookApprover approver = approvers[i];
            if (!IsIdentity(approver.External))
            {
                return $"Approvers:{i}:External must be 1 to 200 of letters, digits and ._@:+-";
            }

            if (string.IsNullOrWhiteSpace(approver.Principal) || approver.Principal.Length > 200)
            {
                return $"Approvers:{i}:Principal is not set";
            }

            if (!seen.Add(approver.External))
            {
                return $"Approvers:{i}:External is configured twice";
            }
        }

        return null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9._@:+-]{1,200}\z")]
    private static partial Regex IdentityPattern();

    [GeneratedRegex(@"\A[0-9a-fA-F]{64}\z")]
    private static partial Regex Sha256HexPattern();

    [GeneratedRegex(@"\Acustomfield_[0-9]{1,12}\z")]
    private static partial Regex JiraFieldPattern();

    [GeneratedRegex(@"\Au_[a-z0-9_]{1,78}\z")]
    private static partial Regex ServiceNowFieldPattern();
}
