using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Webhook approvers are people the provider maps to principals: an unknown name is refused and recorded, a name in
/// other case is still the initiator, and one person counts once under any name and through any channel.
/// </summary>
[Collection("host")]
public sealed class WebhookApproverTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(WebhookRequest webhook) => WebhookSender.PostAsync(fixture.Host, webhook);

    static string Delivery() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Unknown_approver_and_the_initiator_in_other_case_are_refused_recorded_and_nothing_counts()
    {
        // alice submits; the webhooks name a stranger (mapped nowhere) and alice-hook (mapped to principal "Alice").
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        var (stranger, problem) = await PostAsync(WebhookSender.Decision("github", id, planHash, "stranger", DateTimeOffset.UtcNow, Delivery()));
        Assert.True(stranger == HttpStatusCode.Forbidden, $"{stranger} {problem}");
        Assert.Equal("Unknown approver.", problem!["title"]!.GetValue<string>());

        var (self, selfProblem) = await PostAsync(WebhookSender.Decision("generic", id, planHash, "alice-hook", DateTimeOffset.UtcNow, Delivery()));
        Assert.True(self == HttpStatusCode.Forbidden, $"{self} {selfProblem}");
        Assert.Equal("Separation of duties.", selfProblem!["title"]!.GetValue<string>());

        JsonNode record = await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["refused"]!.AsArray().Count == 2);
        var refused = record["approvals"]!["refused"]!.AsArray().Select(r => (r!["approver"]!.GetValue<string>(), r["refusal_kind"]!.GetValue<string>(), r["channel"]!.GetValue<string>())).ToList();
        Assert.Contains(("github:stranger", "UnknownApprover", "github"), refused);
        Assert.Contains(("Alice", "SeparationOfDuties", "generic"), refused);
        Assert.Equal("awaiting_approval", record["status"]!.GetValue<string>());
        Assert.Empty(record["approvals"]!["decisions"]!.AsArray());
        await api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2, "cleanup");
    }

    [Fact]
    public async Task One_person_counts_once_under_two_names_and_across_the_api_and_webhooks()
    {
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix(), approvalsRequired: 2);
        var (id, planHash) = await api.SubmitAsync(change);
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        // bob approves through his API key, then again through two names the webhooks map to him.
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["decisions"]!.AsArray().Count == 1);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(WebhookSender.Decision("generic", id, planHash, "bob-hook", DateTimeOffset.UtcNow, Delivery()))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(WebhookSender.Decision("jira", id, planHash, "bob.builder@example.com", DateTimeOffset.UtcNow, Delivery()))).Status);
        JsonNode refused = await api.WaitUntilAsync(id, Timeout, r => r["approvals"]!["refused"]!.AsArray().Count == 1);
        JsonNode duplicate = Assert.Single(refused["approvals"]!["refused"]!.AsArray())!;
        Assert.Equal(("bob", "Duplicate"), (duplicate["approver"]!.GetValue<string>(), duplicate["refusal_kind"]!.GetValue<string>()));
        Assert.Equal("awaiting_approval", refused["status"]!.GetValue<string>());

        // A second person completes it.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(WebhookSender.Decision("servicenow", id, planHash, "dana-hook", DateTimeOffset.UtcNow, Delivery()))).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal([("bob", "api"), ("dana", "servicenow")], done["approvals"]!["decisions"]!.AsArray().Select(d => (d!["approver"]!.GetValue<string>(), d["channel"]!.GetValue<string>())));

        // Both webhook attempts were bob's: one entry, two attempts (a repeat's count lands with the next checkpoint).
        Assert.Equal(2, Assert.Single(done["approvals"]!["refused"]!.AsArray())!["attempts"]!.GetValue<int>());
    }
}
