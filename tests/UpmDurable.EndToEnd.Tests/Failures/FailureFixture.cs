using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Failures;

/// <summary>
/// Its own Azurite and local host with test-only activity faults on (<c>Upm:Testing:ActivityFaults</c>) and the scheduled
/// sweep off (the janitor runs when a test asks). Every fault scenario starts at the first test's call, all at once, so the
/// suite waits about as long as its slowest scenario.
/// </summary>
public sealed class FailureFixture : IAsyncLifetime
{
    public const string TaskHub = "failurehub";

    readonly ConcurrentDictionary<string, Lazy<Task<FaultOutcome>>> scenarios = new(StringComparer.Ordinal);

    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public ChangeClient Api { get; private set; } = null!;

    /// <summary>Each activity kind's fault, the extra request fields it needs, and the status the change must end in.</summary>
    public static readonly IReadOnlyDictionary<string, (JsonObject Fault, Action<JsonObject, string> Shape, string Expected)> Kinds =
        new Dictionary<string, (JsonObject, Action<JsonObject, string>, string)>(StringComparer.Ordinal)
        {
            // Storage outage longer than the retry budget while verify writes its checkpoint: the applied steps are compensated.
            ["checkpoint"] = (new JsonObject { ["on"] = "checkpoint", ["at"] = "verify", ["times"] = 5 }, (_, _) => { }, "rolled_back"),
            ["lock"] = (new JsonObject { ["on"] = "lock", ["times"] = 5 }, (_, _) => { }, "failed"),
            // Release fails past its retries when the change finishes: finishing is retried on a durable timer.
            ["unlock"] = (new JsonObject { ["on"] = "unlock", ["times"] = 5 }, (_, _) => { }, "completed"),
            ["probe"] = (new JsonObject { ["on"] = "probe", ["times"] = 5 }, (c, _) => c["health_gate"] = new JsonObject { ["observe_seconds"] = 0 }, "rolled_back"),
            ["window"] = (new JsonObject { ["on"] = "window", ["times"] = 5 }, (c, _) => c["window"] = new JsonObject { ["calendar"] = "default" }, "failed"),
            // Storage outage longer than the retry budget during verify.
            ["verify_read"] = (new JsonObject { ["on"] = "verify_read", ["times"] = 5 }, (_, _) => { }, "rolled_back"),
            // A step fails, the rollback runs, and its read-back cannot be done: nothing is proven gone.
            ["read_back"] = (new JsonObject { ["on"] = "read_back", ["times"] = 5 }, (c, s) => c["target"]!["faults"]!.AsArray().Add(new JsonObject { ["resource"] = $"ns-{s}", ["on"] = "apply" }), "rollback_failed"),
        };

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, TaskHub) { PartitionCount = LocalHostProcess.FunctionalPartitions };
        Host.ExtraArgs.Add("--Upm:Testing:ActivityFaults=true");
        Host.ExtraArgs.Add("--Upm:Local:DriftSweepMinutes=0");
        Host.ExtraArgs.Add("--Upm:Policies:CacheSeconds=60");
        await Host.StartAsync();
        Api = new ChangeClient(Host);
    }

    /// <summary>The outcome of a kind's scenario; the first call starts every scenario.</summary>
    public Task<FaultOutcome> OutcomeAsync(string kind)
    {
        foreach (string k in Kinds.Keys)
        {
            _ = scenarios.GetOrAdd(k, name => new Lazy<Task<FaultOutcome>>(() => Task.Run(() => RunAsync(name)))).Value;
        }

        return scenarios[kind].Value;
    }

    // Submits a change with the kind's fault, approves it, waits for its final status, verifies its evidence, then runs a
    // follow-up change on the same resources: it completes only if every lock was released.
    async Task<FaultOutcome> RunAsync(string kind)
    {
        var (fault, shape, _) = Kinds[kind];
        string s = ChangeClient.Suffix();
        JsonObject change = ChangeClient.SampleChange(s);
        change["target"]!["faults"] = new JsonArray(fault.DeepClone());
        shape(change, s);
        var (id, _) = await Api.SubmitApprovedAsync(change);
        JsonNode final = await Api.WaitForStatusAsync(id, TimeSpan.FromSeconds(150), "completed", "failed", "rolled_back", "rollback_failed", "aborted");
        var (_, verify) = await Api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);

        var (followId, _) = await Api.SubmitApprovedAsync(ChangeClient.SampleChange(s));
        JsonNode followUp = await Api.WaitForStatusAsync(followId, TimeSpan.FromSeconds(90), "completed", "failed", "rolled_back", "rollback_failed");
        return new FaultOutcome(id, final, verify, followUp);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>A faulted change as it ended, its evidence verification, and the follow-up change on the same resources.</summary>
public sealed record FaultOutcome(string ChangeId, JsonNode Final, JsonNode? Verify, JsonNode FollowUp);

[CollectionDefinition("failures")]
public sealed class FailureCollection : ICollectionFixture<FailureFixture>
{
}
