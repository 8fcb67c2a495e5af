namespace UpmDurable.Api.Webhooks;

/// <summary>A configured provider as this host runs it: enabled with the people it may name, or disabled with why.</summary>
public sealed class WebhookChannel
{
    readonly Dictionary<string, WebhookApprover> approvers;

    internal WebhookChannel(string name, WebhookProvider config, string? disabledBecause)
    {
        Name = name;
        Config = config;
        DisabledBecause = disabledBecause;
        approvers = disabledBecause is null
            ? config.Approvers.ToDictionary(a => a.External, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, WebhookApprover>(StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public WebhookProvider Config { get; }

    /// <summary>Why the provider is off (requests to it are refused), or null when it runs.</summary>
    public string? DisabledBecause { get; }

    /// <summary>jira, servicenow: the field holding the change id.</summary>
    public string ChangeIdField => Config.ChangeIdField ?? (Name == "servicenow" ? "u_upm_change_id" : string.Empty);

    /// <summary>jira, servicenow: the field holding the plan hash.</summary>
    public string PlanHashField => Config.PlanHashField ?? (Name == "servicenow" ? "u_upm_plan_hash" : string.Empty);

    /// <summary>jira: status names that approve (default <c>Approved</c>).</summary>
    public IReadOnlyList<string> ApproveStatuses => Config.ApproveStatuses.Count > 0 ? Config.ApproveStatuses : ["Approved"];

    /// <summary>jira: status names that reject (default <c>Declined</c>, <c>Rejected</c>).</summary>
    public IReadOnlyList<string> RejectStatuses => Config.RejectStatuses.Count > 0 ? Config.RejectStatuses : ["Declined", "Rejected"];

    /// <summary>
    /// The configured approver of the first of the payload's identities (in the provider's order of preference) that is
    /// mapped; null when none is. <see cref="WebhookPrincipals.Resolve"/> makes the principal of it.
    /// </summary>
    public WebhookApprover? FindApprover(IEnumerable<string> identities)
    {
        foreach (string identity in identities)
        {
            if (approvers.TryGetValue(identity, out WebhookApprover? approver))
            {
                return approver;
            }
        }

        return null;
    }
}
