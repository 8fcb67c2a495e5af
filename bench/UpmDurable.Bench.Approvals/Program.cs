using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using UpmDurable.Testing;

// Approval latency: for N changes waiting for approval, time from posting a signed generic webhook to the moment the
// orchestration resumed (the timestamp of its "approved by" trace entry, taken from the orchestration's own clock).
// Usage: dotnet run -c Release --project bench/UpmDurable.Bench.Approvals [-- count]
int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
await using Azurite azurite = await Azurite.StartAsync();
await using var host = new LocalHostProcess(azurite.ConnectionString, "benchhub");
await host.StartAsync();
var http = host.Http;

async Task<JsonNode> Send(HttpMethod method, string path, string? key, string? json = null, Dictionary<string, string>? headers = null)
{
    using HttpRequestMessage request = LocalHostProcess.Request(method, path, key, json);
    foreach (var (name, value) in headers ?? [])
    {
        request.Headers.TryAddWithoutValidation(name, value);
    }

    using HttpResponseMessage response = await http.SendAsync(request);
    string text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    return JsonNode.Parse(text)!;
}

async Task<JsonNode> WaitFor(string id, Func<JsonNode, bool> done)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        JsonNode record = await Send(HttpMethod.Get, $"/api/changes/{id}", "demo-submitter-key");
        if (done(record))
        {
            return record;
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"{id}: {record["status"]}");
        }

        await Task.Delay(25);
    }
}

var latencies = new List<double>();
string secret = LocalHostProcess.WebhookSecret("generic");
for (int i = 0; i < count; i++)
{
    string s = Guid.NewGuid().ToString("N")[..10];
    var change = new JsonObject
    {
        ["request"] = "bench", ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{s}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks-{s}", ["resource_group"] = $"rg-{s}" }),
        },
    };
    JsonNode submitted = await Send(HttpMethod.Post, "/api/changes", "demo-submitter-key", change.ToJsonString());
    string id = submitted["change_id"]!.GetValue<string>();
    await WaitFor(id, r => r["status"]!.GetValue<string>() == "awaiting_approval");

    // dana-hook is mapped to principal dana by the test host's webhook configuration.
    var payload = new JsonObject { ["change_id"] = id, ["plan_hash"] = submitted["plan_hash"]!.GetValue<string>(), ["decision"] = "approve", ["approver"] = "dana-hook" };
    using HttpRequestMessage request = WebhookRequest.UpmSigned("generic", secret, payload, Guid.NewGuid().ToString()).ToMessage();
    DateTimeOffset sent = DateTimeOffset.UtcNow;
    using (HttpResponseMessage response = await http.SendAsync(request))
    {
        response.EnsureSuccessStatusCode();
    }

    JsonNode record = await WaitFor(id, r => r["audit_trace"]!.AsArray().Any(e => e!["msg"]!.GetValue<string>().StartsWith("approved by dana", StringComparison.Ordinal)));
    DateTimeOffset resumed = record["audit_trace"]!.AsArray().First(e => e!["msg"]!.GetValue<string>().StartsWith("approved by dana", StringComparison.Ordinal))!["ts"]!.GetValue<DateTimeOffset>();
    latencies.Add((resumed - sent).TotalMilliseconds);
}

latencies.Sort();
double P(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine($"Approval webhook received → orchestration resumed, {count} approvals on the local host (Azurite):");
Console.WriteLine("| P50 ms | P95 ms | max ms |");
Console.WriteLine("|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {P(0.50):F0} | {P(0.95):F0} | {latencies[^1]:F0} |"));
return 0;
