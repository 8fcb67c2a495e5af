using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Hostile;

/// <summary>A webhook secret that is still a Key Vault reference disables its provider: never a secret, shown in health and the log.</summary>
[Collection("hostile")]
public sealed class HostileWebhookTests(HostileFixture fixture)
{
    [Fact]
    public async Task Unresolved_key_vault_reference_disables_the_provider_in_health_and_refuses_its_requests()
    {
        var (status, health) = await fixture.Api.SendAsync(HttpMethod.Get, "/api/health", null);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode servicenow = health!["webhooks"]!["servicenow"]!;
        Assert.False(servicenow["enabled"]!.GetValue<bool>());
        Assert.Contains("unresolved Key Vault reference", servicenow["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(health["webhooks"]!["generic"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("Approval webhook servicenow is disabled", fixture.Host.Log, StringComparison.Ordinal);

        // Neither its configured credential nor the reference text used as a secret gets a decision through.
        var (id, planHash) = await fixture.Api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await fixture.Api.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "awaiting_approval");
        JsonObject payload = WebhookFixtures.Load(WebhookFixtures.ServiceNow, id, planHash, "dana-hook");
        foreach (WebhookRequest attempt in new[]
        {
            WebhookRequest.ServiceNowBearer(LocalHostProcess.ServiceNowToken, payload, Guid.NewGuid().ToString()),
            WebhookRequest.UpmSigned("servicenow", HostileFixture.UnresolvedKeyVaultReference, payload, Guid.NewGuid().ToString()),
        })
        {
            var (refused, problem) = await WebhookSender.PostAsync(fixture.Host, attempt);
            Assert.True(refused == HttpStatusCode.ServiceUnavailable, $"{refused} {problem}");
            Assert.Contains("Key Vault", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        JsonNode record = await fixture.Api.GetAsync(id);
        Assert.Empty(record["approvals"]!["decisions"]!.AsArray());
        await fixture.Api.DecideAsync(id, "reject", planHash, ChangeClient.Approver2, "cleanup");
    }
}
