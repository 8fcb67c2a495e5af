using System.Text.Json.Nodes;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// servicenow (outbound REST message from a change request): <c>approval</c> approved or rejected, who by in
/// <c>sys_updated_by</c> (the user name ServiceNow itself records for the update), when in <c>sys_updated_on</c>, the
/// change id and plan hash in the configured <c>u_</c> fields, the note in <c>comments</c>.
/// </summary>
public static class ServiceNowPayload
{
    public static WebhookReading Read(JsonNode? payload, WebhookChannel channel)
    {
        string? decision = WebhookFields.Text(payload?["approval"]) switch
        {
            "approved" => "approve",
            "rejected" => "reject",
            _ => null,
        };
        if (decision is null)
        {
            return new WebhookReading.Ignored("only approval approved or rejected decides");
        }

        string? changeId = WebhookFields.Text(payload?[channel.ChangeIdField]);
        if (changeId is null)
        {
            return new WebhookReading.Ignored($"the record has no change id in {channel.ChangeIdField}");
        }

        DateTimeOffset? at = WebhookFields.Time(WebhookFields.Text(payload?["sys_updated_on"]));
        if (at is null)
        {
            return new WebhookReading.Invalid("sys_updated_on", "When the record was updated (yyyy-MM-dd HH:mm:ss, UTC).");
        }

        return WebhookFields.Decision((channel.ChangeIdField, changeId), (channel.PlanHashField, WebhookFields.Text(payload?[channel.PlanHashField])), decision,
            ("sys_updated_by", [WebhookFields.Text(payload?["sys_updated_by"])]), WebhookFields.Text(payload?["comments"]), at);
    }
}
