namespace UpmDurable.Api.Webhooks;

/// <summary>
/// One person a webhook provider may name as approver. Configuration <c>Upm:Webhooks:{provider}:Approvers:{n}</c>:
/// <c>External</c> is the identity the product sends (GitHub login, Jira account id or email, ServiceNow user name);
/// <c>Principal</c> is the id the same person has through an API key or platform login, so one person counts once
/// whichever channel they decide through; <c>Groups</c> are that principal's approver groups.
/// </summary>
public sealed class WebhookApprover
{
    public string External { get; set; } = string.Empty;

    public string Principal { get; set; } = string.Empty;

    public List<string> Groups { get; set; } = [];
}
