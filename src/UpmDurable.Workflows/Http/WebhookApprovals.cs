using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Http;

/// <summary>One ticketing system allowed to post approvals. Configuration <c>Upm:Webhooks:{provider}</c>.</summary>
public sealed class WebhookProvider
{
    /// <summary>The shared secret signatures are made with (a Key Vault reference in Azure).</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>The tenant whose changes this sender may decide.</summary>
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The approver groups a decision from this sender counts for.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>How far a signed timestamp may be from now.</summary>
    public int ToleranceSeconds { get; set; } = 300;
}

/// <summary>
/// POST /api/webhooks/approvals/{provider}: signed approval callbacks from ticketing systems (generic, github,
/// servicenow, jira). Signature (constant-time HMAC-SHA256), timestamp tolerance and replay protection come first;
/// then the decision takes the same path as an API approval. Nothing unsigned, forged, stale or replayed reaches the
/// orchestration.
/// </summary>
public sealed class WebhookApprovals(IReadOnlyDictionary<string, WebhookProvider> providers, ChangeApi api, StorageClients storage, TimeProvider clock, ILogger<WebhookApprovals> logger)
{
    public static readonly string[] Known = ["generic", "github", "servicenow", "jira"];

    public async Task<ApiResult> ReceiveAsync(HttpRequest request, DurableTaskClient client, string provider)
    {
        if (!Known.Contains(provider) || !providers.TryGetValue(provider, out WebhookProvider? config) || config.Secret.Length == 0)
        {
            return ApiResult.Problem(404, "Unknown webhook provider.", $"'{Clip(provider)}' is not a configured approval webhook; known kinds: {string.Join(", ", Known)}.");
        }

        byte[] body = await ReadBodyAsync(request);
        if (body.Length > ChangeApi.MaxBodyBytes)
        {
            return ApiResult.Problem(413, "Request body too large.", $"At most {ChangeApi.MaxBodyBytes} bytes.");
        }

        (string? deliveryId, string? signatureProblem) = provider == "github"
            ? VerifyGitHub(request, body, config.Secret)
            : VerifyUpmSignature(request, body, config);
        if (signatureProblem is not null)
        {
            logger.LogWarning("Approval webhook from {Provider} refused: {Problem}", provider, signatureProblem);
            return ApiResult.Problem(401, "Webhook signature refused.", signatureProblem).WithHeader("WWW-Authenticate", "HMAC-SHA256");
        }

        WebhookDecision? decision;
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(body))
            {
                throw new JsonException("The body is not valid UTF-8.");
            }

            decision = Parse(provider, JsonNode.Parse(body));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // A payload of the wrong shape (an array, a string where an object belongs, duplicate keys) is bad input too.
            return ApiResult.Problem(400, "The request is not valid JSON.", ex.Message.Split(" Path:", 2)[0], new Dictionary<string, string[]> { ["$"] = ["A JSON object."] });
        }

        if (decision is null)
        {
            return ApiResult.Problem(400, "Not an approval decision.", $"The {provider} payload names no change_id and plan_hash with an approve/reject decision; see README for the mapping.",
                new Dictionary<string, string[]> { ["change_id"] = ["Required."], ["plan_hash"] = ["Required."], ["decision"] = ["approve or reject."] });
        }

        // Remember the delivery before acting on it: a replayed delivery is refused even if the first one failed later.
        try
        {
            await storage.WebhookDeliveryTable.AddEntityAsync(new TableEntity(provider, RowKeyOf(deliveryId!)) { ["ChangeId"] = Clip(decision.ChangeId), ["ReceivedAt"] = clock.GetUtcNow() }, request.HttpContext.RequestAborted);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            logger.LogWarning("Approval webhook from {Provider} refused: delivery {Delivery} replayed", provider, deliveryId);
            return ApiResult.Problem(409, "Delivery already received.", $"Delivery {deliveryId} from {provider} was already processed; replays are not applied twice.");
        }

        var principal = new UpmPrincipal(decision.Approver, config.Tenant, [UpmPrincipal.Approver], config.Groups);
        return await api.DecideAsync(principal, decision.ChangeId, new ChangeApi.ApprovalRequest(decision.Decision, decision.PlanHash, decision.Comment), provider, client, request.HttpContext.RequestAborted);
    }

    /// <summary>Signs a body the way <c>X-Upm-Signature</c> expects: <c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.</summary>
    public static string Sign(string secret, long unixTime, byte[] body) =>
        $"t={unixTime.ToString(CultureInfo.InvariantCulture)},v1={SignatureHex(secret, unixTime, body)}";

    // Hex HMAC-SHA256 of "t.body": the v1 part of the signature.
    static string SignatureHex(string secret, long unixTime, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{unixTime.ToString(CultureInfo.InvariantCulture)}."), .. body];
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    (string? Delivery, string? Problem) VerifyUpmSignature(HttpRequest request, byte[] body, WebhookProvider config)
    {
        string header = request.Headers["X-Upm-Signature"].ToString();
        var parts = header.Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out string? t) || !parts.TryGetValue("v1", out string? v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long unix))
        {
            return (null, "X-Upm-Signature is missing or not 't=<unix>,v1=<hex>'.");
        }

        if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - unix) > config.ToleranceSeconds)
        {
            return (null, $"The signed timestamp is more than {config.ToleranceSeconds} s from now: stale or replayed.");
        }

        if (!FixedTimeHexEquals(SignatureHex(config.Secret, unix, body), v1))
        {
            return (null, "The signature does not match the body.");
        }

        // The signed pair identifies the delivery unless the sender names one.
        string delivery = request.Headers["X-Upm-Delivery"].ToString() is { Length: > 0 and <= 200 } named ? named : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
        return (delivery, null);
    }

    static (string? Delivery, string? Problem) VerifyGitHub(HttpRequest request, byte[] body, string secret)
    {
        string signature = request.Headers["X-Hub-Signature-256"].ToString();
        string delivery = request.Headers["X-GitHub-Delivery"].ToString();
        if (!signature.StartsWith("sha256=", StringComparison.Ordinal) || delivery.Length is 0 or > 200)
        {
            return (null, "X-Hub-Signature-256 (sha256=<hex>) and X-GitHub-Delivery are required.");
        }

        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return FixedTimeHexEquals(expected, signature["sha256=".Length..]) ? (delivery, null) : (null, "The signature does not match the body.");
    }

    static bool FixedTimeHexEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual.ToLowerInvariant()));

    /// <summary>Maps each provider's payload to a decision; null when it carries none.</summary>
    internal static WebhookDecision? Parse(string provider, JsonNode? payload)
    {
        static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        (string? changeId, string? planHash, string? decision, string? approver, string? comment) = provider switch
        {
            // {change_id, plan_hash, decision, approver, comment}
            "generic" => (Str(payload?["change_id"]), Str(payload?["plan_hash"]), Str(payload?["decision"]), Str(payload?["approver"]), Str(payload?["comment"])),

            // deployment_review: {action: approved|rejected, comment, sender|approver: {login}, deployment: {payload: {change_id, plan_hash}}}
            "github" => (Str(payload?["deployment"]?["payload"]?["change_id"]), Str(payload?["deployment"]?["payload"]?["plan_hash"]),
                Str(payload?["action"]) switch { "approved" => "approve", "rejected" => "reject", _ => null },
                Str(payload?["approver"]?["login"]) ?? Str(payload?["sender"]?["login"]), Str(payload?["comment"])),

            // change request approval: {u_upm_change_id, u_upm_plan_hash, approval: approved|rejected, approver|sys_updated_by, comments}
            "servicenow" => (Str(payload?["u_upm_change_id"]), Str(payload?["u_upm_plan_hash"]),
                Str(payload?["approval"]) switch { "approved" => "approve", "rejected" => "reject", _ => null },
                Str(payload?["approver"]) ?? Str(payload?["sys_updated_by"]), Str(payload?["comments"])),

            // jira:issue_updated: {issue: {fields: {status: {name: Approved|Declined}, upm_change_id, upm_plan_hash}}, user: {name|emailAddress}, comment: {body}}
            "jira" => (Str(payload?["issue"]?["fields"]?["upm_change_id"]), Str(payload?["issue"]?["fields"]?["upm_plan_hash"]),
                Str(payload?["issue"]?["fields"]?["status"]?["name"]) switch { "Approved" => "approve", "Declined" or "Rejected" => "reject", _ => null },
                Str(payload?["user"]?["name"]) ?? Str(payload?["user"]?["emailAddress"]), Str(payload?["comment"]?["body"])),
            _ => (null, null, null, null, null),
        };
        return changeId is null || planHash is null || decision is null || string.IsNullOrWhiteSpace(approver) || approver.Length > 200
            ? null
            : new WebhookDecision(changeId, planHash, decision, approver, comment);
    }

    static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > ChangeApi.MaxBodyBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    static string Clip(string value) => value.Length <= 40 ? value : value[..40];

    // Table row keys refuse '/', '\\', '#', '?' and control characters: a delivery id holding any is stored by its hash.
    static string RowKeyOf(string deliveryId) =>
        deliveryId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '=' or '+')
            ? deliveryId
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)));
}

/// <summary>An approval decision read from a webhook payload.</summary>
internal sealed record WebhookDecision(string ChangeId, string PlanHash, string Decision, string Approver, string? Comment);
