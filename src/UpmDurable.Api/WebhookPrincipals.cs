using UpmDurable.Api.Webhooks;

namespace UpmDurable.Api;

/// <summary>Who a webhook's decision is from: the principal a channel maps the payload's approver to (so Webhooks needs no principal type).</summary>
public static class WebhookPrincipals
{
    /// <summary>
    /// The principal of the first of the payload's identities that the channel maps, an approver of the channel's tenant
    /// with that principal's groups — never the sender's; null when none is mapped.
    /// </summary>
    public static UpmPrincipal? Resolve(this WebhookChannel channel, IEnumerable<string> identities) =>
        channel.FindApprover(identities) is { } approver
            ? new UpmPrincipal(approver.Principal, channel.Config.Tenant, [UpmPrincipal.Approver], [.. approver.Groups])
            : null;
}
