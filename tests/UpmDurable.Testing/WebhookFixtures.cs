using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UpmDurable.Core.Signing;

namespace UpmDurable.Testing;

/// <summary>
/// Webhook payloads shaped as GitHub, Jira Cloud and ServiceNow publish them (Fixtures/webhooks, trimmed to the fields
/// that matter, real names and nesting kept), filled in for one change, approver and time.
/// </summary>
public static class WebhookFixtures
{
    public const string GitHubReview = "github-pull_request_review";
    public const string GitHubDeploymentReview = "github-deployment_review";
    public const string Jira = "jira-issue_updated";
    public const string ServiceNow = "servicenow-change_request";
    public const string Generic = "generic";

    /// <summary>The fixture with its placeholders filled: the change, its plan hash, who decided (login, account id, user name) and when.</summary>
    public static JsonObject Load(string name, string changeId, string planHash, string who, DateTimeOffset? at = null)
    {
        DateTimeOffset when = at ?? DateTimeOffset.UtcNow;
        using Stream stream = typeof(WebhookFixtures).Assembly.GetManifestResourceStream($"webhooks/{name}.json")
            ?? throw new ArgumentException($"no webhook fixture {name}", nameof(name));
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        foreach (var (token, value) in new[]
        {
            ("change_id", changeId), ("plan_hash", planHash), ("login", who), ("account_id", who), ("user_name", who),
            ("time", when.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            ("time_servicenow", when.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        })
        {
            text = text.Replace("{{" + token + "}}", JsonEncodedText.Encode(value).ToString(), StringComparison.Ordinal);
        }

        text = text.Replace("{{timestamp_ms}}", when.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>
/// A webhook request as each product sends it: the body and the headers that authenticate it. Signatures are computed
/// here independently of the service's own code.
/// </summary>
public sealed record WebhookRequest(string Provider, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    /// <summary>generic (and scripted ServiceNow): <c>X-Upm-Signature</c> over "t.deliveryId.body" and <c>X-Upm-Delivery</c>.</summary>
    public static WebhookRequest UpmSigned(string provider, string secret, JsonNode payload, string deliveryId, long? unixTime = null)
    {
        byte[] body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return new(provider, body, [("X-Upm-Signature", UpmSignature(secret, unixTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), deliveryId, body)), ("X-Upm-Delivery", deliveryId)]);
    }

    /// <summary>GitHub: <c>X-Hub-Signature-256</c>, <c>X-GitHub-Delivery</c>, <c>X-GitHub-Event</c>.</summary>
    public static WebhookRequest GitHub(string secret, string eventName, JsonNode payload, string deliveryId)
    {
        byte[] body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return new("github", body, [("X-Hub-Signature-256", HubSignature(secret, body)), ("X-GitHub-Delivery", deliveryId), ("X-GitHub-Event", eventName)]);
    }

    /// <summary>Jira Cloud: <c>X-Hub-Signature</c> and <c>X-Atlassian-Webhook-Identifier</c>.</summary>
    public static WebhookRequest Jira(string secret, JsonNode payload, string deliveryId)
    {
        byte[] body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return new("jira", body, [("X-Hub-Signature", HubSignature(secret, body)), ("X-Atlassian-Webhook-Identifier", deliveryId)]);
    }

    /// <summary>ServiceNow outbound REST with a bearer token (and, when given, a delivery id header the message sets).</summary>
    public static WebhookRequest ServiceNowBearer(string token, JsonNode payload, string? deliveryId = null)
    {
        byte[] body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        List<(string, string)> headers = [("Authorization", "Bearer " + token)];
        if (deliveryId is not null)
        {
            headers.Add(("X-Upm-Delivery", deliveryId));
        }

        return new("servicenow", body, headers);
    }

    /// <summary>The same request with one header replaced (or added).</summary>
    public WebhookRequest With(string name, string value) =>
        this with { Headers = [.. Headers.Where(h => !h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)), (name, value)] };

    /// <summary>The HTTP request to the host's webhook route.</summary>
    public HttpRequestMessage ToMessage()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/approvals/{Provider}") { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary><c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.deliveryId.body")&gt;</c>.</summary>
    public static string UpmSignature(string secret, long unixTime, string deliveryId, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{unixTime.ToString(CultureInfo.InvariantCulture)}.{deliveryId}."), .. body];
        return $"t={unixTime.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary><c>sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c>.</summary>
    public static string HubSignature(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
