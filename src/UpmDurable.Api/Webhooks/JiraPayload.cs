using System.Text.Json.Nodes;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// jira (Jira Cloud admin webhook, <c>jira:issue_updated</c>): a transition of the issue's own status field
/// (<c>changelog.items[]</c> with <c>field</c> status and <c>fieldtype</c> jira) into a configured approve or reject
/// status, by <c>user.accountId</c> (or <c>user.emailAddress</c>), on an issue whose configured custom fields hold the
/// change id and plan hash; <c>timestamp</c> (ms) is when it happened.
/// </summary>
public static class JiraPayload
{
    public static WebhookReading Read(JsonNode? payload, WebhookChannel channel)
    {
        if (WebhookFields.Text(payload?["webhookEvent"]) != "jira:issue_updated")
        {
            return new WebhookReading.Ignored("only jira:issue_updated decides");
        }

        // fieldtype jira: the issue's own status, not a custom field someone named "status".
        JsonNode? transition = (payload?["changelog"]?["items"] as JsonArray)?
            .LastOrDefault(i => WebhookFields.Text(i?["field"]) == "status" && WebhookFields.Text(i?["fieldtype"]) == "jira");
        string? status = WebhookFields.Text(transition?["toString"]);
        string? decision = status is null ? null
            : channel.ApproveStatuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? "approve"
            : channel.RejectStatuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? "reject"
            : null;
        if (decision is null)
        {
            return new WebhookReading.Ignored("no transition into an approve or reject status");
        }

        JsonNode? fields = payload?["issue"]?["fields"];
        string? changeId = WebhookFields.Text(fields?[channel.ChangeIdField]);
        if (changeId is null)
        {
            return new WebhookReading.Ignored($"the issue has no change id in {channel.ChangeIdField}");
        }

        DateTimeOffset? at = payload?["timestamp"] is JsonValue ms && ms.TryGetValue(out long millis) && millis is > 0 and < 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
        if (at is null)
        {
            return new WebhookReading.Invalid("timestamp", "When the event happened (ms since 1970).");
        }

        JsonNode? user = payload?["user"];
        return WebhookFields.Decision(($"issue.fields.{channel.ChangeIdField}", changeId), ($"issue.fields.{channel.PlanHashField}", WebhookFields.Text(fields?[channel.PlanHashField])), decision,
            ("user.accountId", [WebhookFields.Text(user?["accountId"]), WebhookFields.Text(user?["emailAddress"])]), WebhookFields.Text(payload?["comment"]?["body"]), at);
    }
}
