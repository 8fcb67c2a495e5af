using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Builds approval webhooks as each product sends them (vendor-shaped payloads, the product's own authentication) and posts them.</summary>
public static class WebhookSender
{
    /// <summary>
    /// A decision on a change by <paramref name="who"/> at <paramref name="at"/>: generic signed with X-Upm-Signature;
    /// github an approving pull_request_review; jira a transition to Approved; servicenow an approved change request
    /// sent with the REST message's bearer token. <paramref name="secret"/> replaces the configured secret or token.
    /// </summary>
    public static WebhookRequest Decision(string provider, string changeId, string planHash, string who, DateTimeOffset at, string delivery, string? secret = null) => provider switch
    {
        "github" => WebhookRequest.GitHub(secret ?? LocalHostProcess.WebhookSecret("github"), "pull_request_review", WebhookFixtures.Load(WebhookFixtures.GitHubReview, changeId, planHash, who, at), delivery),
        "jira" => WebhookRequest.Jira(secret ?? LocalHostProcess.WebhookSecret("jira"), WebhookFixtures.Load(WebhookFixtures.Jira, changeId, planHash, who, at), delivery),
        "servicenow" => WebhookRequest.ServiceNowBearer(secret ?? LocalHostProcess.ServiceNowToken, WebhookFixtures.Load(WebhookFixtures.ServiceNow, changeId, planHash, who, at), delivery),
        _ => WebhookRequest.UpmSigned(provider, secret ?? LocalHostProcess.WebhookSecret(provider), WebhookFixtures.Load(WebhookFixtures.Generic, changeId, planHash, who, at), delivery, at.ToUnixTimeSeconds()),
    };

    /// <summary>Posts the webhook; the status and the JSON answer (a problem or the accepted decision).</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(LocalHostProcess host, WebhookRequest webhook)
    {
        using HttpRequestMessage request = webhook.ToMessage();
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
