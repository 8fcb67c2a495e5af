using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Approval policy and channels: two-person rule, auto-approval lane, refused attempts on record, signed webhooks.</summary>
[Collection("host")]
public sealed class ApprovalTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    static JsonObject ProdChange(string s)
    {
        JsonObject change = ChangeClient.SampleChange(s, approvalsRequired: null);
        change["target"]!["cluster_endpoint_id"] = "prod-east";
        change["ticket"] = new JsonObject { ["system"] = "servicenow", ["id"] = "CHG" + s };
        return change;
    }

    [Fact]
    public async Task High_risk_change_needs_two_distinct_approvers_and_one_person_counts_once()
    {
        var (id, planHash) = await api.SubmitAsync(ProdChange(ChangeClient.Suffix()));
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(2, waiting["approvals"]!["required"]!.GetValue<int>());
        Assert.Contains("prod-or-high-risk-needs-two", waiting["preflight"]!["approval"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("prod-or-high-risk-needs-two", waiting["approvals"]!["rule"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["refused"]!.AsArray().Count == 1);
        Assert.Equal("awaiting_approval", (await api.GetAsync(id))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver2)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(["bob", "carol"], done["approvals"]!["decisions"]!.AsArray().Select(d => d!["approver"]!.GetValue<string>()));
        Assert.Contains("duplicate", done["approvals"]!["refused"]![0]!["refused_because"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Low_risk_small_change_takes_the_auto_approval_lane_and_the_decision_is_recorded()
    {
        var change = new JsonObject
        {
            ["request"] = "one namespace", ["tenant"] = "acme",
            ["target"] = new JsonObject { ["resources"] = new JsonArray(new JsonObject { ["type"] = "k8s_namespace", ["name"] = "ns-" + ChangeClient.Suffix() }) },
        };
        var (id, _) = await api.SubmitAsync(change);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "awaiting_approval", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        JsonNode decision = done["approvals"]!["decisions"]![0]!;
        Assert.Equal(("policy", "auto-approval-lane"), (decision["approver"]!.GetValue<string>(), decision["channel"]!.GetValue<string>()));
        Assert.Contains("auto-approval lane", decision["comment"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_attempts_are_recorded_on_the_change_and_never_count()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()), ChangeClient.Approver);
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        Assert.Equal(HttpStatusCode.Forbidden, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await api.DecideAsync(id, "approve", "sha256:" + new string('1', 64), ChangeClient.Approver2)).Status);
        JsonNode record = await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["refused"]!.AsArray().Count == 2);

        var reasons = record["approvals"]!["refused"]!.AsArray().Select(r => r!["refused_because"]!.GetValue<string>()).ToList();
        Assert.Contains(reasons, r => r.Contains("separation of duties", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("stale plan hash", StringComparison.Ordinal));
        Assert.Equal("awaiting_approval", record["status"]!.GetValue<string>());
        Assert.Empty(record["approvals"]!["decisions"]!.AsArray());
        await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2, "cleanup");
    }

    [Fact]
    public async Task Approvers_are_notified_with_a_signed_notice_when_a_change_awaits_them()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        var deadline = DateTime.UtcNow + Timeout;
        (string Body, string? Signature) notice;
        while (!fixture.Notifications.Received.Any(n => n.Body.Contains(id, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no notification received");
            await Task.Delay(100);
        }

        notice = fixture.Notifications.Received.First(n => n.Body.Contains(id, StringComparison.Ordinal));
        JsonNode body = JsonNode.Parse(notice.Body)!;
        Assert.Equal("approval_required", body["event"]!.GetValue<string>());
        Assert.Equal(planHash, body["change"]!["plan_hash"]!.GetValue<string>());
        Assert.EndsWith($"/api/changes/{id}/approvals", body["links"]!["approve"]!.GetValue<string>(), StringComparison.Ordinal);
        string[] parts = notice.Signature!.Split(',');
        long t = long.Parse(parts[0]["t=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{t}."), .. Encoding.UTF8.GetBytes(notice.Body)];
        Assert.Equal(parts[1]["v1=".Length..], Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HostFixture.NotifySecret), signed)));
        await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2, "cleanup");
    }

    public static TheoryData<string> Providers => new() { "generic", "github", "servicenow", "jira" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Signed_webhook_approves_and_forged_stale_altered_or_replayed_ones_are_refused(string provider)
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        byte[] body = Encoding.UTF8.GetBytes(Payload(provider, id, planHash, "dana").ToJsonString());
        string secret = LocalHostProcess.WebhookSecret(provider);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string delivery = Guid.NewGuid().ToString();

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(provider, body, Headers(provider, "wrong-secret", now, body, delivery)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(provider, body, []));
        byte[] altered = Encoding.UTF8.GetBytes(Payload(provider, id, planHash, "mallory").ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(provider, altered, Headers(provider, secret, now, body, delivery)));
        if (provider != "github")
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(provider, body, Headers(provider, secret, now - 3600, body, delivery)));
        }

        Assert.Equal("awaiting_approval", (await api.GetAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(provider, body, Headers(provider, secret, now, body, delivery)));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(provider, body, Headers(provider, secret, now, body, delivery)));

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        JsonNode decision = Assert.Single(done["approvals"]!["decisions"]!.AsArray())!;
        Assert.Equal(("dana", provider), (decision["approver"]!.GetValue<string>(), decision["channel"]!.GetValue<string>()));
    }

    async Task<HttpStatusCode> PostAsync(string provider, byte[] body, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/approvals/{provider}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request);
        return response.StatusCode;
    }

    static Dictionary<string, string> Headers(string provider, string secret, long unix, byte[] body, string delivery)
    {
        if (provider == "github")
        {
            string hex = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
            return new() { ["X-Hub-Signature-256"] = "sha256=" + hex, ["X-GitHub-Delivery"] = delivery };
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes($"{unix}."), .. body];
        string v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return new() { ["X-Upm-Signature"] = $"t={unix},v1={v1}", ["X-Upm-Delivery"] = delivery };
    }

    static JsonObject Payload(string provider, string id, string planHash, string approver) => provider switch
    {
        "generic" => new() { ["change_id"] = id, ["plan_hash"] = planHash, ["decision"] = "approve", ["approver"] = approver, ["comment"] = "ok" },
        "github" => new()
        {
            ["action"] = "approved", ["comment"] = "ship it", ["approver"] = new JsonObject { ["login"] = approver },
            ["deployment"] = new JsonObject { ["payload"] = new JsonObject { ["change_id"] = id, ["plan_hash"] = planHash } },
        },
        "servicenow" => new() { ["u_upm_change_id"] = id, ["u_upm_plan_hash"] = planHash, ["approval"] = "approved", ["approver"] = approver, ["comments"] = "CAB ok" },
        _ => new()
        {
            ["webhookEvent"] = "jira:issue_updated", ["user"] = new JsonObject { ["name"] = approver },
            ["issue"] = new JsonObject { ["key"] = "OPS-1", ["fields"] = new JsonObject { ["status"] = new JsonObject { ["name"] = "Approved" }, ["upm_change_id"] = id, ["upm_plan_hash"] = planHash } },
        },
    };
}
