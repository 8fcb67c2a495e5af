using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace UpmDurable.Cli;

/// <summary>The HTTP API as the CLI uses it. A non-success answer becomes <see cref="UpmApiException"/> carrying the problem document.</summary>
internal sealed class UpmClient(HttpClient http) : IDisposable
{
    public Task<JsonNode> PlanAsync(string json) => SendJsonAsync(HttpMethod.Post, "/api/plans", json);

    public Task<JsonNode> SubmitAsync(string json) => SendJsonAsync(HttpMethod.Post, "/api/changes", json);

    public Task<JsonNode> GetAsync(string id) => SendJsonAsync(HttpMethod.Get, $"/api/changes/{Uri.EscapeDataString(id)}", null);

    public Task<JsonNode> ListAsync(string? status, int limit) =>
        SendJsonAsync(HttpMethod.Get, $"/api/changes?limit={limit}{(status is null ? string.Empty : "&status=" + Uri.EscapeDataString(status))}", null);

    public Task<JsonNode> DecideAsync(string id, string decision, string planHash, string? comment) =>
        SendJsonAsync(HttpMethod.Post, $"/api/changes/{Uri.EscapeDataString(id)}/approvals", new JsonObject { ["decision"] = decision, ["plan_hash"] = planHash, ["comment"] = comment }.ToJsonString());

    public Task<JsonNode> OperateAsync(string id, string action, string? reason) =>
        SendJsonAsync(HttpMethod.Post, $"/api/changes/{Uri.EscapeDataString(id)}/{action}", reason is null ? null : new JsonObject { ["reason"] = reason }.ToJsonString());

    public Task<JsonNode> VerifyEvidenceAsync(string id) => SendJsonAsync(HttpMethod.Get, $"/api/changes/{Uri.EscapeDataString(id)}/evidence/verify", null);

    public Task<JsonNode> DriftAsync(string id) => SendJsonAsync(HttpMethod.Get, $"/api/changes/{Uri.EscapeDataString(id)}/drift", null);

    public Task<JsonNode> KpisAsync(string? since) =>
        SendJsonAsync(HttpMethod.Get, "/api/kpis" + (since is null ? string.Empty : "?since=" + Uri.EscapeDataString(since)), null);

    public Task<JsonNode> ScorecardAsync(string? since) =>
        SendJsonAsync(HttpMethod.Get, "/api/scorecard" + (since is null ? string.Empty : "?since=" + Uri.EscapeDataString(since)), null);

    public async Task<(byte[] Pack, string? KeyId)> EvidenceAsync(string id)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri($"/api/changes/{Uri.EscapeDataString(id)}/evidence", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemAsync(response);
        }

        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.TryGetValues("X-Upm-Evidence-Key-Id", out var ids) ? ids.FirstOrDefault() : null);
    }

    async Task<JsonNode> SendJsonAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemAsync(response);
        }

        string text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    static async Task<UpmApiException> ProblemAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? problem = null;
        try
        {
            problem = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a problem document: the status line says enough.
        }

        return new UpmApiException((int)response.StatusCode, problem);
    }

    /// <summary>An HTTP client for a service URL and API key.</summary>
    public static HttpClient CreateHttp(Uri baseUrl, string? apiKey, HttpMessageHandler? handler)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseUrl;
        http.Timeout = TimeSpan.FromSeconds(100);
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return http;
    }

    public void Dispose() => http.Dispose();
}
