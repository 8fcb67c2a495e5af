using System.Net.Http.Headers;
using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Signing;

namespace UpmDurable.Workflows.Activities;

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
