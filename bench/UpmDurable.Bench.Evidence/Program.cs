using System.Diagnostics;
using System.Text.Json;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Testing;

// Evidence benchmark: a 10,000-record chain verified in memory, as a signed pack, and read back from blobs (Azurite).
// Usage: dotnet run -c Release --project bench/UpmDurable.Bench.Evidence [-- records]
int count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
const string Tenant = "bench";
string changeId = "chg-" + Guid.NewGuid().ToString("N");

var clock = Stopwatch.StartNew();
var records = new List<EvidenceRecord>(count);
string? prev = null;
for (int seq = 1; seq <= count; seq++)
{
    // A body the size of a real step record.
    var body = new StepRecord { StepId = $"k8s_namespace/ns-{seq}", Wave = 1 + (seq % 7), Cmd = $"kubectl-1.29 create namespace ns-{seq}", Rc = 0, Stdout = $"namespace/ns-{seq} created", Outcome = "created" };
    EvidenceRecord record = new EvidenceRecord
    {
        Seq = seq, Ts = DateTimeOffset.UnixEpoch.AddSeconds(seq), Kind = "execute", ChangeId = changeId, Tenant = Tenant, Prev = prev,
        Body = JsonSerializer.SerializeToElement(body, UpmJson.Options),
    }.Seal();
    prev = record.Sha256;
    records.Add(record);
}

double sealMs = clock.Elapsed.TotalMilliseconds;
var blobs = records.Select(r => new StoredEvidence(r.BlobName, JsonSerializer.SerializeToUtf8Bytes(r, UpmJson.Options))).ToList();

double Median(Func<bool> run, int times = 5)
{
    var samples = new List<double>();
    for (int i = 0; i < times; i++)
    {
        var watch = Stopwatch.StartNew();
        if (!run())
        {
            throw new InvalidOperationException("verification failed");
        }

        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    return samples.Order().ElementAt(times / 2);
}

double verifyMemoryMs = Median(() => EvidenceVerifier.Verify(blobs, count, prev).Ok);

using var signer = new EvidenceSigner(EvidenceSigner.NewPrivateKeyPem());
var change = new ChangeRecord
{
    ChangeId = changeId, Tenant = Tenant, Initiator = "bench", Status = ChangeStatuses.Completed, Phase = Phases.Audit, SubmittedAt = DateTimeOffset.UnixEpoch,
    Intent = new ChangeSpec
    {
        Request = "bench", Source = "api", Tenant = Tenant, Visibility = "team", Owner = "platform", Cloud = "azure", Provider = "sandbox", Resources = [],
        ResourcesNeeded = [], MaxParallel = 10, ApprovalGroups = [], ApprovalsRequired = 0, ApprovalTimeout = "P1D", DriftMode = "off", DriftInterval = "PT15M", Faults = [],
    },
    Evidence = new EvidenceHead(count, prev),
};
clock.Restart();
byte[] pack = EvidencePack.Build(change, blobs, EvidenceVerifier.Verify(blobs, count, prev), "http://127.0.0.1:7071", signer, DateTimeOffset.UtcNow);
double packMs = clock.Elapsed.TotalMilliseconds;
double verifyPackMs = Median(() => EvidencePack.VerifyOffline(pack, signer.PublicKeyPem).Count == 0);

Console.WriteLine($"Evidence chain of {count:N0} records ({blobs.Sum(b => b.Content.Length) / 1024:N0} KiB)");
Console.WriteLine($"| what | ms |");
Console.WriteLine($"|---|---:|");
Console.WriteLine($"| build and seal all records | {sealMs:N0} |");
Console.WriteLine($"| verify chain in memory (median of 5) | {verifyMemoryMs:N0} |");
Console.WriteLine($"| build signed pack ({pack.Length / 1024:N0} KiB zip) | {packMs:N0} |");
Console.WriteLine($"| verify pack offline: signature, file hashes, chain (median of 5) | {verifyPackMs:N0} |");

await using Azurite azurite = await Azurite.StartAsync();
StorageClients clients = azurite.Clients("bench");
await clients.EnsureCreatedAsync();
var store = new EvidenceStore(clients);
clock.Restart();
await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (record, ct) => await store.AppendAsync(record, ct));
double appendMs = clock.Elapsed.TotalMilliseconds;
clock.Restart();
List<StoredEvidence> stored = await store.ListRawAsync(Tenant, changeId);
double readMs = clock.Elapsed.TotalMilliseconds;
clock.Restart();
bool ok = EvidenceVerifier.Verify(stored, count, prev).Ok;
double verifyStoredMs = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"| append {count:N0} write-once blobs to Azurite (32 in flight) | {appendMs:N0} |");
Console.WriteLine($"| read them all back (list, then 16 downloads in flight) | {readMs:N0} |");
Console.WriteLine($"| verify the chain read from blobs (ok: {ok}) | {verifyStoredMs:N0} |");
return ok ? 0 : 1;
