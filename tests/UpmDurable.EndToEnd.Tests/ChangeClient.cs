using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Drives the HTTP API the way a client would: submit, read, approve, poll until a status.</summary>
public sealed class ChangeClient(LocalHostProcess host)
{
    public const string Submitter = "demo-submitter-key";
    public const string Approver = "demo-approver-key";
    public const string Approver2 = "demo-approver2-key";
    public const string Auditor = "demo-auditor-key";
    public const string OtherTenant = "demo-globex-key";
    public const string Viewer = "demo-viewer-key";
    public const string Admin = "demo-admin-key";

    public LocalHostProcess Host => host;

    /// <summary>The spec's sample change with unique names, so tests never share sandbox resources.</summary>
    public static JsonObject SampleChange(string suffix, int? approvalsRequired = 1, string timeout = "P3D") => new()
    {
        ["request"] = $"Create AKS cluster aks-{suffix} in eastus and namespace ns-{suffix}",
        ["source"] = "api",
        ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["cloud"] = "azure",
            ["provider"] = "sandbox",
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{suffix}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks-{suffix}", ["resource_group"] = $"rg-{suffix}", ["properties"] = new JsonObject { ["node_count"] = 2 } },
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{suffix}", ["cluster"] = $"aks-{suffix}" }),
        },
        ["resources_needed"] = new JsonArray(new JsonObject { ["type"] = "quota", ["name"] = "cores", ["location"] = "eastus", ["min"] = 8 }),
        ["approvals"] = approvalsRequired is null
            ? new JsonObject { ["timeout"] = timeout }
            : new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = approvalsRequired, ["timeout"] = timeout },
    };

    public static string Suffix() => Guid.NewGuid().ToString("N")[..10];

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(method, path, key, json);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        bool isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        string text = isJson ? await response.Content.ReadAsStringAsync() : string.Empty;
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Submits a change and returns its id and plan hash (asserts 202).</summary>
    public async Task<(string Id, string PlanHash)> SubmitAsync(JsonObject change, string key = Submitter)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/changes", key, change.ToJsonString());
        Assert.True(status == HttpStatusCode.Accepted, $"submit answered {status}: {body}");
        return (body!["change_id"]!.GetValue<string>(), body["plan_hash"]!.GetValue<string>());
    }

    /// <summary>
    /// Submits a change and, when policy asks a human, approves it as bob (platform-owners) would: for tests about what
    /// follows approval. Returns once the change is past its approvals (or ended before them, e.g. in pre-flight).
    /// </summary>
    public async Task<(string Id, string PlanHash)> SubmitApprovedAsync(JsonObject change, string key = Submitter, string approver = Approver)
    {
        var (id, planHash) = await SubmitAsync(change, key);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            JsonNode record = await GetAsync(id, key);
            string status = record["status"]!.GetValue<string>();
            string outcome = record["approvals"]?["outcome"]?.GetValue<string>() ?? "pending";
            if (status == "awaiting_approval")
            {
                var (decided, body) = await DecideAsync(id, "approve", planHash, approver);
                Assert.True(decided == HttpStatusCode.Accepted, $"approval answered {decided}: {body}");
                return (id, planHash);
            }

            if (outcome != "pending" || FinalStatuses.Contains(status))
            {
                return (id, planHash);
            }

            Assert.True(DateTime.UtcNow < deadline, $"change {id} never reached its approvals: {record}");
            await Task.Delay(100);
        }
    }

    static readonly string[] FinalStatuses = ["completed", "failed", "rolled_back", "rollback_failed", "rejected", "expired", "preflight_failed", "aborted"];

    public async Task<JsonNode> GetAsync(string id, string key = Submitter)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"/api/changes/{id}", key);
        Assert.True(status == HttpStatusCode.OK, $"get answered {status}: {body}");
        return body!;
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> DecideAsync(string id, string decision, string planHash, string key = Approver, string? comment = null) =>
        SendAsync(HttpMethod.Post, $"/api/changes/{id}/approvals", key, JsonSerializer.Serialize(new { decision, plan_hash = planHash, comment }));

    /// <summary>Polls the change until its status is one of <paramref name="statuses"/>; fails with the record and host log otherwise.</summary>
    public Task<JsonNode> WaitForStatusAsync(string id, TimeSpan timeout, params string[] statuses) =>
        WaitForStatusAsync(id, Submitter, timeout, statuses);

    /// <summary>As <see cref="WaitForStatusAsync(string, TimeSpan, string[])"/>, reading with <paramref name="key"/> (a change of another tenant).</summary>
    public async Task<JsonNode> WaitForStatusAsync(string id, string key, TimeSpan timeout, params string[] statuses)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode record = await GetAsync(id, key);
        while (!statuses.Contains(record["status"]!.GetValue<string>()))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"change {id} is {record["status"]} after {timeout}, expected {string.Join("|", statuses)}.\nRecord: {record}\nHost log tail:\n{Tail(host.Log)}");
            }

            await Task.Delay(150);
            record = await GetAsync(id, key);
        }

        return record;
    }

    /// <summary>Polls the change until <paramref name="condition"/> holds on its record; fails with the record otherwise.</summary>
    public async Task<JsonNode> WaitUntilAsync(string id, TimeSpan timeout, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode record = await GetAsync(id);
        while (!condition(record))
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met for {id}: {record}");
            await Task.Delay(150);
            record = await GetAsync(id);
        }

        return record;
    }

    static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];
}
