using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpmDurable.Testing.Chaos;

/// <summary>The HTTP calls a chaos trial makes, against whichever host process is current.</summary>
internal sealed class ChaosApi(Func<LocalHostProcess> host)
{
    public const string Submitter = "demo-submitter-key";
    public const string Auditor = "demo-auditor-key";

    // Distinct approvers from platform-owners: enough for a change that needs two.
    public static readonly string[] Approvers = ["demo-approver-key", "demo-approver2-key"];

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(method, path, key, json);
        using HttpResponseMessage response = await host().Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        bool isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        return (response.StatusCode, isJson && text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    /// <summary>The change record, or null while the host does not answer (killed, or not started yet).</summary>
    public async Task<JsonNode?> TryGetAsync(string id)
    {
        try
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"/api/changes/{id}", Submitter);
            return status == HttpStatusCode.OK ? body : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<JsonNode> GetAsync(string id) =>
        await TryGetAsync(id) ?? throw new InvalidOperationException($"GET /api/changes/{id} did not answer 200");

    /// <summary>The change's row in GET /api/changes (the index), or null when it is not listed.</summary>
    public async Task<JsonNode?> ListedAsync(string id)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/api/changes?limit=500", Submitter);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /api/changes answered {status}");
        }

        return body!["changes"]!.AsArray().FirstOrDefault(c => c!["change_id"]!.GetValue<string>() == id);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> DecideAsync(string id, string planHash, string key) =>
        await SendAsync(HttpMethod.Post, $"/api/changes/{id}/approvals", key, JsonSerializer.Serialize(new { decision = "approve", plan_hash = planHash, comment = "chaos" }));
}

/// <summary>Approves a change as often as it needs, one distinct approver at a time, across host restarts.</summary>
internal sealed class ApprovalDriver(ChaosApi api, string changeId, string planHash)
{
    int next;
    DateTime lastAccepted = DateTime.MinValue;

    public List<string> Problems { get; } = [];

    /// <summary>Sends the next approval if the change awaits one and the previous one had time to land.</summary>
    public async Task ApproveIfWaitingAsync(JsonNode record)
    {
        if (record["status"]?.GetValue<string>() != "awaiting_approval" || DateTime.UtcNow - lastAccepted < TimeSpan.FromSeconds(2))
        {
            return;
        }

        if (next >= ChaosApi.Approvers.Length)
        {
            return;
        }

        try
        {
            var (status, body) = await api.DecideAsync(changeId, planHash, ChaosApi.Approvers[next]);
            if (status == HttpStatusCode.Accepted)
            {
                next++;
                lastAccepted = DateTime.UtcNow;
            }
            else if (status != HttpStatusCode.Conflict)
            {
                // 409: the index moved on between our read and the decision; anything else is a real problem.
                Problems.Add($"approval by {ChaosApi.Approvers[next]} answered {(int)status}: {body}");
                next++;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The host died mid-request: the same approver tries again after the restart.
        }
    }
}
