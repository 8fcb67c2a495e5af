using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

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
