using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Operator controls: pause takes effect before the next wave, resume continues, abort stops the change.</summary>
[Collection("host")]
public sealed class OperatorTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    Task<(HttpStatusCode Status, JsonNode? Body)> Operate(string id, string action, string key = ChangeClient.Admin, string? reason = null) =>
        api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/{action}", key, reason is null ? null : new JsonObject { ["reason"] = reason }.ToJsonString());

    [Fact]
    public async Task Abort_while_awaiting_approval_ends_the_change_with_nothing_executed()
    {
        var (id, _) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");

        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "abort", reason: "wrong cluster")).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "aborted", "completed");

        Assert.Equal("aborted", done["status"]!.GetValue<string>());
        Assert.Contains("aborted by erin: wrong cluster", done["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(done["execution"]!["steps"]!.AsArray());
        Assert.Equal("abort", done["operator_commands"]![0]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pause_holds_the_change_before_its_first_wave_until_resume()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "pause", reason: "CAB asked to hold")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash)).Status);

        JsonNode paused = await api.WaitForStatusAsync(id, Timeout, "paused", "completed");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Empty(paused["execution"]!["steps"]!.AsArray());
        Assert.Equal(HttpStatusCode.Conflict, (await Operate(id, "pause")).Status);

        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "resume", ChangeClient.Approver2)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(["pause", "resume"], done["operator_commands"]!.AsArray().Select(c => c!["action"]!.GetValue<string>()));
        Assert.Equal("carol", done["operator_commands"]![1]!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Abort_while_paused_stops_the_change_and_roles_and_finished_changes_are_guarded()
    {
        var (id, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(id, Timeout, "awaiting_approval");
        Assert.Equal(HttpStatusCode.Forbidden, (await Operate(id, "pause", ChangeClient.Submitter)).Status);
        await Operate(id, "pause");
        await api.DecideAsync(id, "approve", planHash);
        await api.WaitForStatusAsync(id, Timeout, "paused");

        Assert.Equal(HttpStatusCode.Accepted, (await Operate(id, "abort")).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "aborted", "completed", "rolled_back");
        Assert.Equal("aborted", done["status"]!.GetValue<string>());

        var (finished, body) = await Operate(id, "rollback");
        Assert.Equal(HttpStatusCode.Conflict, finished);
        Assert.Contains("aborted", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
