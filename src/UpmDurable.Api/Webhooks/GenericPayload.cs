using System.Text.Json.Nodes;
using UpmDurable.Core.Signing;

namespace UpmDurable.Api.Webhooks;

/// <summary>generic: <c>{change_id, plan_hash, decision: approve|reject, approver, comment}</c>, signed with <see cref="UpmSignature"/>.</summary>
public static class GenericPayload
{
    public static WebhookReading Read(JsonNode? payload)
    {
        string? decision = WebhookFields.Text(payload?["decision"]);
        if (decision is not ("approve" or "reject"))
        {
            return new WebhookReading.Invalid("decision", "approve or reject.");
        }

        return WebhookFields.Decision(("change_id", WebhookFields.Text(payload?["change_id"])), ("plan_hash", WebhookFields.Text(payload?["plan_hash"])), decision,
            ("approver", [WebhookFields.Text(payload?["approver"])]), WebhookFields.Text(payload?["comment"]), null);
    }
}
