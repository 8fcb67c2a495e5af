using UpmDurable.Workflows.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Storage;
using UpmDurable.Testing;
using UpmDurable.Workflows.Activities;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>The evidence-writing activity against real Azurite: replays after a crash, and records it must never overwrite.</summary>
public sealed class RecordProgressTests(AzuriteFixture storage) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Replay_that_reobserved_its_steps_keeps_the_record_an_earlier_attempt_wrote()
    {
        StorageClients clients = storage.Azurite.Clients();
        var activity = new RecordProgress(new EvidenceStore(clients), new ChangeStore(clients), new ActivityFaults(new TestingOptions(), new ChangeStore(clients)), NullLogger<RecordProgress>.Instance);
        ChangeRecord record = NewRecord();

        EvidenceHead first = await activity.RunAsync(null!, new ProgressInput(record, "execute", Body("created")));

        // The episode that took this result was lost in a crash; the replay saw the step again ("unchanged", later time).
        EvidenceHead replay = await activity.RunAsync(null!, new ProgressInput(record with { UpdatedAt = record.UpdatedAt.AddSeconds(30) }, "execute", Body("unchanged")));

        Assert.Equal(first, replay);
        var stored = await new EvidenceStore(clients).ListAsync("acme", record.ChangeId);
        Assert.Equal("created", Assert.Single(stored).Body.GetProperty("outcome").GetString());
        Assert.Equal(first, (await new ChangeStore(clients).GetAsync("acme", record.ChangeId))!.Evidence);
    }

    [Fact]
    public async Task The_evidence_record_carries_the_orchestration_version_of_the_change_record_and_the_chain_verifies()
    {
        StorageClients clients = storage.Azurite.Clients();
        var activity = new RecordProgress(new EvidenceStore(clients), new ChangeStore(clients), new ActivityFaults(new TestingOptions(), new ChangeStore(clients)), NullLogger<RecordProgress>.Instance);
        ChangeRecord record = NewRecord() with { OrchestrationVersion = "1.0.0" };

        EvidenceHead head = await activity.RunAsync(null!, new ProgressInput(record, "execute", Body("created")));

        var stored = await new EvidenceStore(clients).ListAsync("acme", record.ChangeId);
        Assert.Equal("1.0.0", Assert.Single(stored).OrchestrationVersion);
        Assert.Null(Core.Audit.EvidenceChain.FirstBadRecord(stored));
        Assert.Equal(head.ChainHead, stored[0].Sha256);
        Assert.Equal("1.0.0", (await new ChangeStore(clients).GetAsync("acme", record.ChangeId))!.OrchestrationVersion);
    }

    [Fact]
    public async Task Foreign_record_at_the_next_seq_is_never_overwritten_and_the_change_is_marked_failed()
    {
        StorageClients clients = storage.Azurite.Clients();
        var activity = new RecordProgress(new EvidenceStore(clients), new ChangeStore(clients), new ActivityFaults(new TestingOptions(), new ChangeStore(clients)), NullLogger<RecordProgress>.Instance);
        ChangeRecord record = NewRecord();
        byte[] foreign = Encoding.UTF8.GetBytes("{\"seq\":1,\"kind\":\"execute\",\"body\":\"not ours\"}");
        await clients.EvidenceContainer.GetBlobClient($"acme/{record.ChangeId}/00000001-execute.json").UploadAsync(new BinaryData(foreign));

        await Assert.ThrowsAsync<EvidenceConflictException>(() => activity.RunAsync(null!, new ProgressInput(record, "execute", Body("created"))));

        Assert.Equal(foreign, (await clients.EvidenceContainer.GetBlobClient($"acme/{record.ChangeId}/00000001-execute.json").DownloadContentAsync()).Value.Content.ToArray());
        ChangeRecord? saved = await new ChangeStore(clients).GetAsync("acme", record.ChangeId);
        Assert.Equal(ChangeStatuses.Failed, saved!.Status);
        Assert.Contains("evidence record 1 (execute) could not be written", saved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_delta_is_applied_to_the_stored_record_and_a_retry_of_it_changes_nothing()
    {
        StorageClients clients = storage.Azurite.Clients();
        var changes = new ChangeStore(clients);
        var activity = new RecordProgress(new EvidenceStore(clients), changes, new ActivityFaults(new TestingOptions(), changes), NullLogger<RecordProgress>.Instance);
        ChangeRecord first = NewRecord() with { AuditTrace = [new AuditEntry(DateTimeOffset.UnixEpoch, Phases.Plan, "plan compiled")] };
        ChangeRecord stored = first with { Evidence = await activity.RunAsync(null!, new ProgressInput(first, "plan", Body("plan"))) };
        ChangeRecord next = stored with
        {
            Status = ChangeStatuses.Completed,
            UpdatedAt = stored.UpdatedAt.AddSeconds(5),
            AuditTrace = [.. stored.AuditTrace, new AuditEntry(DateTimeOffset.UnixEpoch, Phases.Audit, "change completed")],
        };
        var progress = new ProgressInput(null, "audit", Body("completed")) { Delta = ChangeRecordDelta.Between(stored, next) };

        EvidenceHead head = await activity.RunAsync(null!, progress);
        EvidenceHead retried = await activity.RunAsync(null!, progress);

        Assert.Equal(new EvidenceHead(2, head.ChainHead), retried);
        ChangeRecord saved = (await changes.GetAsync("acme", first.ChangeId))!;
        Assert.Equal(UpmJson.Serialize(next with { Evidence = head }), UpmJson.Serialize(saved));
        Assert.Equal(2, (await new EvidenceStore(clients).ListAsync("acme", first.ChangeId)).Count);
    }

    static JsonElement Body(string outcome) => JsonSerializer.SerializeToElement(new { outcome }, UpmJson.Options);

    static ChangeRecord NewRecord()
    {
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(
            """{"request":"Create resource group rg-evidence","tenant":"acme","target":{"resources":[{"type":"az_resource_group","name":"rg-evidence","location":"eastus"}]}}""",
            UpmJson.StrictRequest)!);
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        return new ChangeRecord
        {
            ChangeId = "chg-" + Guid.NewGuid().ToString("N"),
            Tenant = "acme",
            Initiator = "alice",
            Status = ChangeStatuses.Running,
            Phase = Phases.Execute,
            SubmittedAt = at,
            UpdatedAt = at,
            Intent = spec,
        };
    }
}
