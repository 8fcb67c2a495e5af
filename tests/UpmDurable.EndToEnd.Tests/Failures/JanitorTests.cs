using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Failures;

/// <summary>
/// Changes stranded outside any orchestration: a row that says running while nothing runs for it (its orchestration gone)
/// and a submission whose orchestration never started. Locks of the first are stale at once; the sweep's janitor makes it
/// final and starts the second from its stored request.
/// </summary>
[Collection("failures")]
public sealed class JanitorTests(FailureFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_stranded_change_frees_its_locks_at_once_and_the_sweep_makes_it_final_and_starts_a_lost_submission()
    {
        ChangeClient api = fixture.Api;
        string s = ChangeClient.Suffix();

        // A real record to copy: submitted and rejected, so it has a plan and nothing ran.
        var (template, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(s));
        await api.WaitForStatusAsync(template, Timeout, "awaiting_approval");
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(template, "reject", planHash)).Status);
        await api.WaitForStatusAsync(template, Timeout, "rejected");
        StorageClients clients = fixture.Azurite.Clients();
        var store = new ChangeStore(clients);
        ChangeRecord stored = (await store.GetAsync("acme", template))!;
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // Stranded: the index says running and the change holds its resources' locks, but no orchestration exists.
        string stranded = "chg-" + Guid.NewGuid().ToString("N")[..24];
        Assert.True(await store.CreateAsync(Copy(stored, stranded, ChangeStatuses.Running, Phases.Execute, now.AddMinutes(-20)), requestHash: null));
        var keys = stored.Plan!.Steps.Select(step => new ResourceKey("sandbox", step.Type, step.Name)).ToList();
        Assert.Empty(await new ResourceLocks(clients, store).AcquireAsync("acme", stranded, keys));

        // Lost: submitted ten minutes ago, its orchestration never scheduled (a crash between the two, no Idempotency-Key).
        string lost = "chg-" + Guid.NewGuid().ToString("N")[..24];
        Assert.True(await store.CreateAsync(Copy(stored, lost, ChangeStatuses.Submitted, Phases.Plan, now.AddMinutes(-10)) with { Plan = null, Preflight = null }, requestHash: null));

        // A change on the stranded change's resources does not wait six hours: the holder's orchestration is gone.
        var (next, _) = await api.SubmitApprovedAsync(ChangeClient.SampleChange(s));
        JsonNode nextDone = await api.WaitForStatusAsync(next, Timeout, "completed", "failed", "rolled_back");
        Assert.Equal("completed", nextDone["status"]!.GetValue<string>());

        // The sweep's janitor: the stranded change is failed visibly, the lost one is started from its stored request.
        var (status, sweep) = await api.SendAsync(HttpMethod.Post, "/api/drift/reconcile", ChangeClient.Admin);
        Assert.True(status == HttpStatusCode.OK, $"{status} {sweep}");
        Assert.True(sweep!["janitor"]!["finalized"]!.GetValue<int>() >= 1, sweep.ToJsonString());
        Assert.True(sweep["janitor"]!["started"]!.GetValue<int>() >= 1, sweep.ToJsonString());

        JsonNode failed = await api.GetAsync(stranded);
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Contains("made final by the janitor while running", failed["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, verify) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{stranded}/evidence/verify", ChangeClient.Auditor);
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
        var (_, listed) = await api.SendAsync(HttpMethod.Get, "/api/changes?status=failed", ChangeClient.Submitter);
        Assert.Contains(stranded, listed!.ToJsonString(), StringComparison.Ordinal);

        JsonNode started = await api.WaitForStatusAsync(lost, Timeout, "awaiting_approval", "failed", "preflight_failed");
        Assert.Equal("awaiting_approval", started["status"]!.GetValue<string>());

        // A second sweep finds nothing stranded among these two.
        var (_, again) = await api.SendAsync(HttpMethod.Post, "/api/drift/reconcile", ChangeClient.Admin);
        Assert.Equal("failed", (await api.GetAsync(stranded))["status"]!.GetValue<string>());
        Assert.NotNull(again);
    }

    static ChangeRecord Copy(ChangeRecord template, string changeId, string status, string phase, DateTimeOffset at) => template with
    {
        ChangeId = changeId,
        Status = status,
        Phase = phase,
        SubmittedAt = at,
        UpdatedAt = at,
        Reason = null,
        Evidence = new EvidenceHead(0, null),
        Approvals = new ApprovalState(),
        AuditTrace = [],
    };
}
