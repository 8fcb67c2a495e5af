using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;
using UpmDurable.Core.Signing;

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
        (string Body, string? Signature, string? Delivery) notice;
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
        long t = long.Parse(notice.Signature!.Split(',')[0]["t=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{id}.approval_required", notice.Delivery);
        Assert.Equal(WebhookRequest.UpmSignature(HostFixture.NotifySecret, t, notice.Delivery!, Encoding.UTF8.GetBytes(notice.Body)), notice.Signature);
        await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2, "cleanup");
    }

    public static TheoryData<string> Providers => new() { "generic", "github", "servicenow", "jira" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Product_shaped_webhook_approves_and_forged_stale_altered_or_replayed_ones_are_refused(string provider)
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string delivery = Guid.NewGuid().ToString();
        WebhookRequest good = WebhookSender.Decision(provider, id, planHash, "dana-hook", now, delivery);

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(WebhookSender.Decision(provider, id, planHash, "dana-hook", now, delivery, "wrong-secret-0123456789")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(good with { Headers = [] }));
        if (provider != "servicenow")
        {
            // A bearer credential does not cover the body (TLS does); every signature does.
            WebhookRequest mallory = WebhookSender.Decision(provider, id, planHash, "bob-hook", now, delivery);
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(good with { Body = mallory.Body }));
        }

        // Signed now but about an event an hour old (for generic: signed an hour ago).
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(WebhookSender.Decision(provider, id, planHash, "dana-hook", now.AddHours(-1), Guid.NewGuid().ToString())));

        Assert.Equal("awaiting_approval", (await api.GetAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(good));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(good));

        // The captured delivery under a new delivery id: generic signs the id (signature fails); the products sign only
        // the body, which is remembered.
        string header = provider switch { "github" => "X-GitHub-Delivery", "jira" => "X-Atlassian-Webhook-Identifier", _ => "X-Upm-Delivery" };
        Assert.Equal(provider == "generic" ? HttpStatusCode.Unauthorized : HttpStatusCode.Conflict, await PostAsync(good.With(header, Guid.NewGuid().ToString())));

        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        JsonNode decision = Assert.Single(done["approvals"]!["decisions"]!.AsArray())!;
        Assert.Equal(("dana", provider), (decision["approver"]!.GetValue<string>(), decision["channel"]!.GetValue<string>()));
    }

    async Task<HttpStatusCode> PostAsync(WebhookRequest webhook) => (await WebhookSender.PostAsync(fixture.Host, webhook)).Status;
}
