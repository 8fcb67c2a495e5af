using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Workflows.Telemetry;
using UpmDurable.Core.Signing;

namespace UpmDurable.Workflows.Activities;

/// <summary>Where approval-needed notifications go. Configuration section <c>Upm:Notify</c>.</summary>
public sealed class NotifyOptions
{
    public const string Section = "Upm:Notify";

    /// <summary>An HTTPS endpoint (chat, ticketing) that receives a signed JSON notice when a change awaits approval.</summary>
    public string? Url { get; set; }

    /// <summary>Secret of the <c>X-Upm-Signature</c> header (over time, delivery id and body), so the receiver can check the notice came from us.</summary>
    public string? Secret { get; set; }

    // The links' base is the service's one public address, Upm:PublicBaseUrl (see PublicBaseUrl; Upm:Notify:PublicBaseUrl
    // is still read when it is unset).
}

/// <summary>Posts a signed JSON notice to the configured endpoint (the same signature scheme as incoming webhooks).</summary>
public static class OutboundNotice
{
    /// <summary>
    /// Posts the notice as delivery <paramref name="deliveryId"/> (letters, digits and <c>._:-</c>; covered by the
    /// signature); a 5xx or network error throws (the orchestration retries), a 4xx is final and returned.
    /// </summary>
    public static async Task<int> PostAsync(NotifyOptions options, IHttpClientFactory http, TimeProvider clock, string deliveryId, object payload)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(payload, UpmJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(options.Secret))
        {
            request.Headers.TryAddWithoutValidation(UpmSignature.Header, UpmSignature.Sign(options.Secret, clock.GetUtcNow().ToUnixTimeSeconds(), deliveryId, body));
        }

        request.Headers.TryAddWithoutValidation(UpmSignature.DeliveryHeader, deliveryId);
        using HttpClient client = http.CreateClient(nameof(NotifyApprovers));
        using HttpResponseMessage response = await client.SendAsync(request);
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"notification endpoint answered {(int)response.StatusCode}");
        }

        return (int)response.StatusCode;
    }
}

/// <summary>What an approval-needed notice says. Append-only contract.</summary>
public sealed record ApprovalNotice(string ChangeId, string Tenant, string Initiator, string Request, string PlanHash, int Required, List<string> Groups, DateTimeOffset Deadline, int? RiskScore);

/// <summary>Sends the approval-needed notice (signed like incoming webhooks); reports what happened, never throws on a refused post twice.</summary>
public sealed class NotifyApprovers(NotifyOptions options, PublicBaseUrl publicBaseUrl, IHttpClientFactory http, TimeProvider clock, ILogger<NotifyApprovers> logger) : TaskActivity<ApprovalNotice, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, ApprovalNotice input)
    {
        // No URL, signature or body on the span: the URL may carry a token and the body the request text.
        using System.Diagnostics.Activity? span = UpmTelemetry.Start("upm.notify_approvers", input.ChangeId, input.Tenant, Core.Model.Phases.Preflight);
        if (string.IsNullOrEmpty(options.Url))
        {
            span?.SetTag(UpmTelemetry.Attributes.Outcome, "not_configured");
            return "no notification endpoint configured (Upm:Notify:Url)";
        }

        var payload = new
        {
            @event = "approval_required",
            change = input,
            links = new
            {
                change = publicBaseUrl.Link($"/api/changes/{input.ChangeId}"),
                approve = publicBaseUrl.Link($"/api/changes/{input.ChangeId}/approvals"),
                plan = publicBaseUrl.Link($"/api/changes/{input.ChangeId}/plan?format=mermaid"),
            },
            how_to_decide = new { method = "POST", body = new { decision = "approve | reject", plan_hash = input.PlanHash, comment = "..." } },
        };
        int status = await OutboundNotice.PostAsync(options, http, clock, $"{input.ChangeId}.approval_required", payload);
        span?.SetTag(UpmTelemetry.Attributes.Outcome, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        logger.LogInformation("Approval notice for change {ChangeId} sent: {Status}", input.ChangeId, status);
        return $"notified {new Uri(options.Url).GetLeftPart(UriPartial.Path)}: {status}";
    }
}
