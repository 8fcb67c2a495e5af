using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace UpmDurable.Workflows.Activities;

/// <summary>Sends a signed change notice (paused, drift detected, remediation started) to the notification endpoint.</summary>
public sealed class NotifyChange(NotifyOptions options, PublicBaseUrl publicBaseUrl, IHttpClientFactory http, TimeProvider clock, ILogger<NotifyChange> logger) : TaskActivity<ChangeNotice, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, ChangeNotice input)
    {
        logger.LogWarning("Change {ChangeId} of tenant {Tenant}: {Event}: {Message}", input.ChangeId, input.Tenant, input.Event, input.Message);
        if (string.IsNullOrEmpty(options.Url))
        {
            return "no notification endpoint configured (Upm:Notify:Url)";
        }

        var payload = new
        {
            @event = input.Event,
            change = input,
            links = new { change = publicBaseUrl.Link($"/api/changes/{input.ChangeId}"), drift = publicBaseUrl.Link($"/api/changes/{input.ChangeId}/drift") },
        };
        int status = await OutboundNotice.PostAsync(options, http, clock, $"{input.ChangeId}.{input.Event}.{input.At.ToUnixTimeSeconds()}", payload);
        return $"notified {new Uri(options.Url).GetLeftPart(UriPartial.Path)}: {status}";
    }
}
