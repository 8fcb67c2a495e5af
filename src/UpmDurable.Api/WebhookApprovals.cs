using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Api.Webhooks;
using UpmDurable.Core.Signing;

namespace UpmDurable.Api;

/// <summary>
/// POST /api/webhooks/approvals/{provider}: approval callbacks from ticketing systems (generic, github, servicenow,
/// jira). In order: the provider is configured and enabled; the signature or credential holds; the payload reads as a
/// decision (or as nothing for us); its event time is recent; the delivery was not received before; the approver is a
/// person the provider maps to a principal. Then the decision takes the same path as an API approval (the one <see cref="ApprovalDesk"/>), as that principal
/// with that principal's groups. An unknown approver is refused and recorded on the change like any refused attempt.
/// </summary>
public sealed class WebhookApprovals(WebhookChannels channels, WebhookDeliveries deliveries, ApprovalDesk desk, TimeProvider clock, ILogger<WebhookApprovals> logger)
{
    public async Task<ApiResult> ReceiveAsync(HttpRequest request, DurableTaskClient client, string provider)
    {
        WebhookChannel? channel = channels.Find(provider);
        if (channel is null)
        {
            return ApiResult.Problem(404, "Unknown webhook provider.", $"'{Clip(provider)}' is not a configured approval webhook; known kinds: {string.Join(", ", WebhookChannels.Known)}.");
        }

        if (channel.DisabledBecause is { } why)
        {
            return ApiResult.Problem(503, "Webhook provider disabled.", $"The {provider} approval webhook is disabled: {why}. See /api/health.");
        }

        byte[] body = await RequestBody.ReadBytesAsync(request);
        if (body.Length > RequestBody.MaxBytes)
        {
            return RequestBody.TooLarge();
        }

        WebhookAuthentication authentication = Authenticate(channel, request, body);
        if (!authentication.Ok)
        {
            return Unauthorized(provider, authentication.Problem!);
        }

        WebhookReading reading;
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(body))
            {
                throw new JsonException("The body is not valid UTF-8.");
            }

            JsonNode? payload = JsonNode.Parse(body);
            reading = channel.Name switch
            {
                "github" => GitHubPayload.Read(request.Headers["X-GitHub-Event"].ToString(), payload),
                "jira" => JiraPayload.Read(payload, channel),
                "servicenow" => ServiceNowPayload.Read(payload, channel),
                _ => GenericPayload.Read(payload),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // A payload of the wrong shape (an array, a string where an object belongs, duplicate keys) is bad input too.
            return ApiResult.Problem(400, "The request is not valid JSON.", ex.Message.Split(" Path:", 2)[0], new Dictionary<string, string[]> { ["$"] = ["A JSON object."] });
        }

        switch (reading)
        {
            case WebhookReading.Ignored ignored:
                return ApiResult.Json(200, new WebhookIgnored(provider, ignored.Reason));
            case WebhookReading.Invalid invalid:
                return ApiResult.Problem(400, "Not a readable approval decision.", $"{invalid.Field}: {invalid.Reason} See docs/webhooks.md for the {provider} mapping.",
                    new Dictionary<string, string[]> { [invalid.Field] = [invalid.Reason] });
        }

        WebhookDecision decision = ((WebhookReading.Decided)reading).Decision;
        int tolerance = channel.Config.ToleranceSeconds;
        if (decision.EventTime is { } at && Math.Abs((clock.GetUtcNow() - at).TotalSeconds) > tolerance)
        {
            return Unauthorized(provider, $"The event happened at {at:O}, more than {tolerance} s from now: stale or replayed.");
        }

        // Remembered before acting on it: a replayed delivery is refused even if the first one was refused later.
        if (!await deliveries.RememberAsync(provider, authentication.DeliveryId, body, decision.ChangeId, request.HttpContext.RequestAborted))
        {
            logger.LogWarning("Approval webhook from {Provider} refused: delivery {Delivery} replayed", provider, authentication.DeliveryId ?? "(by body)");
            return ApiResult.Problem(409, "Delivery already received.", $"This {provider} delivery (its id or its body) was already received; replays are not applied twice.");
        }

        var asked = new ChangeApi.ApprovalRequest(decision.Decision, decision.PlanHash, decision.Comment);
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        if (channel.Resolve(decision.Identities) is { } principal)
        {
            return await desk.DecideAsync(principal, decision.ChangeId, asked, provider, client, cancellationToken);
        }

        // Nobody we know: refused and recorded as provider:identity; rate-limited per provider, so new names buy no attempts.
        string stranger = $"{provider}:{decision.Identities[0]}";
        logger.LogWarning("Approval webhook from {Provider}: approver {Approver} is not configured", provider, stranger);
        var refusal = new ApprovalRefusal(ApprovalRefusalKind.UnknownApprover, $"unknown approver: {provider} maps no principal to '{decision.Identities[0]}'");
        return await desk.DecideAsync(new UpmPrincipal(stranger, channel.Config.Tenant, [], []), decision.ChangeId, asked, provider, client, cancellationToken, refusal, "webhook:" + provider);
    }

    WebhookAuthentication Authenticate(WebhookChannel channel, HttpRequest request, byte[] body)
    {
        string? Header(string name) => request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;
        WebhookProvider config = channel.Config;
        return channel.Name switch
        {
            "github" => HubSignature.Verify(Header("X-Hub-Signature-256"), Header("X-GitHub-Delivery"), body, config.Secret, "X-Hub-Signature-256", "X-GitHub-Delivery"),
            "jira" => HubSignature.Verify(Header("X-Hub-Signature"), Header("X-Atlassian-Webhook-Identifier"), body, config.Secret, "X-Hub-Signature", "X-Atlassian-Webhook-Identifier"),

            // ServiceNow: a scripted HMAC when the request carries one (and a secret is configured), else the REST message's credential.
            "servicenow" when Header(UpmSignature.Header) is not null || config.CredentialHash.Length == 0 => config.Secret.Length == 0
                ? WebhookAuthentication.Refused("This servicenow webhook takes Authorization credentials, not X-Upm-Signature.")
                : UpmSignature.Verify(Header(UpmSignature.Header), Header(UpmSignature.DeliveryHeader), body, config.Secret, clock.GetUtcNow(), config.ToleranceSeconds),
            "servicenow" => OutboundCredential.Verify(Header("Authorization"), Header(UpmSignature.DeliveryHeader), config.CredentialHash),
            _ => UpmSignature.Verify(Header(UpmSignature.Header), Header(UpmSignature.DeliveryHeader), body, config.Secret, clock.GetUtcNow(), config.ToleranceSeconds),
        };
    }

    ApiResult Unauthorized(string provider, string problem)
    {
        logger.LogWarning("Approval webhook from {Provider} refused: {Problem}", provider, problem);
        return ApiResult.Problem(401, "Webhook signature refused.", problem).WithHeader("WWW-Authenticate", provider == "servicenow" ? "Bearer, Basic, HMAC-SHA256" : "HMAC-SHA256");
    }

    static string Clip(string value) => value.Length <= 40 ? value : value[..40];
}
