namespace UpmDurable.Api.Webhooks;

/// <summary>One ticketing system allowed to post approvals. Configuration <c>Upm:Webhooks:{provider}</c>.</summary>
public sealed class WebhookProvider
{
    /// <summary>The shared secret signatures are made with (a Key Vault reference in Azure).</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>
    /// servicenow only: lower-case hex SHA-256 of the credential its outbound REST message sends — the token of
    /// <c>Authorization: Bearer</c>, or <c>user:password</c> of <c>Authorization: Basic</c>. Only the hash is configured.
    /// </summary>
    public string CredentialHash { get; set; } = string.Empty;

    /// <summary>The tenant whose changes this sender may decide.</summary>
    public string Tenant { get; set; } = string.Empty;

    /// <summary>How far a signed timestamp or a payload's event time may be from now.</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>The people whose decisions this sender may relay: their identity in the product → their principal.</summary>
    public List<WebhookApprover> Approvers { get; set; } = [];

    /// <summary>jira, servicenow: the field holding the change id (jira: <c>customfield_NNNNN</c>; servicenow: <c>u_…</c>).</summary>
    public string? ChangeIdField { get; set; }

    /// <summary>jira, servicenow: the field holding the plan hash.</summary>
    public string? PlanHashField { get; set; }

    /// <summary>jira: status names a transition into approves the change.</summary>
    public List<string> ApproveStatuses { get; set; } = [];

    /// <summary>jira: status names a transition into rejects the change.</summary>
    public List<string> RejectStatuses { get; set; } = [];
}
