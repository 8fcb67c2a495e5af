using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Testing;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>
/// Known secrets seeded into requests, settings and provider outputs; after a full change and a webhook approval, every
/// stored byte (blobs, tables including the task hub's history and instances, queues, Azurite's data folder) and the
/// host's captured output hold none of them.
/// </summary>
[Collection("security")]
public sealed class SecretScanTests(SecurityFixture fixture, ITestOutputHelper output)
{
    static string Secret(string label) => $"zz{label}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";

    [Fact]
    public async Task No_seeded_secret_is_stored_or_logged_after_a_full_change_and_a_webhook_approval()
    {
        ChangeClient api = fixture.Api;
        string suffix = ChangeClient.Suffix();
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bearer in request text"] = Secret("bearer"),
            ["password in request text"] = Secret("pass"),
            ["token flag in request text"] = Secret("flag"),
            ["idempotency key"] = Secret("idem"),
            ["secret-named property"] = Secret("prop"),
            ["secret in a property value"] = Secret("literal"),
            ["token in approval comment"] = Secret("comment"),
            ["operator reason"] = Secret("reason"),
            ["wrong api key"] = Secret("wrongkey"),
            ["api key (setting)"] = SecurityFixture.SecretApiKey,
            ["notify secret (setting)"] = SecurityFixture.NotifySecret,
            ["signing key (setting)"] = PemBody(SecurityFixture.SigningKeyPem),
            ["webhook secret generic (setting)"] = LocalHostProcess.WebhookSecret("generic"),
            ["webhook secret github (setting)"] = LocalHostProcess.WebhookSecret("github"),
            ["storage account key (provider output)"] = SandboxProvider.SimulatedAccountKey("acme", $"st{suffix}"),
        };

        // Refused at the door: a secret-named property, a secret in a property value, a wrong key.
        JsonObject refused = Change(suffix + "x", secrets);
        refused["target"]!["resources"]![1]!["properties"] = new JsonObject { ["password"] = secrets["secret-named property"] };
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, "/api/changes", SecurityFixture.SecretApiKey, refused.ToJsonString())).Status);
        JsonObject literal = Change(suffix + "y", secrets);
        literal["target"]!["resources"]!.AsArray().Add(new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cfg{suffix}", ["namespace"] = $"ns{suffix}", ["properties"] = new JsonObject { ["from_literal"] = "db_password=" + secrets["secret in a property value"] } });
        var (literalStatus, literalProblem) = await api.SendAsync(HttpMethod.Post, "/api/changes", SecurityFixture.SecretApiKey, literal.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, literalStatus);
        Assert.DoesNotContain(secrets["secret in a property value"], literalProblem!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/api/changes", secrets["wrong api key"])).Status);

        // Accepted: secrets in the free text are stored as ***; a property names its secret by reference.
        JsonObject change = Change(suffix, secrets);
        change["target"]!["resources"]!.AsArray().Add(new JsonObject { ["type"] = "k8s_configmap", ["name"] = $"cfg{suffix}", ["namespace"] = $"ns{suffix}", ["properties"] = new JsonObject { ["from_literal"] = "db_password=secretref:db-password" } });
        using HttpRequestMessage submit = LocalHostProcess.Request(HttpMethod.Post, "/api/changes", SecurityFixture.SecretApiKey, change.ToJsonString());
        submit.Headers.Add("Idempotency-Key", secrets["idempotency key"]);
        using HttpResponseMessage submitted = await fixture.Host.Http.SendAsync(submit);
        string submittedText = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, submittedText);
        JsonNode accepted = JsonNode.Parse(submittedText)!;
        string id = accepted["change_id"]!.GetValue<string>(), planHash = accepted["plan_hash"]!.GetValue<string>();
        await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "awaiting_approval");

        // An operator reason with a password (on a second change, aborted) and a signed webhook approval with a token in its comment.
        var (other, _) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(other, TimeSpan.FromSeconds(90), "awaiting_approval");
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"/api/changes/{other}/abort", ChangeClient.Admin, $$"""{"reason":"stop it, password={{secrets["operator reason"]}}"}""")).Status);
        await api.WaitForStatusAsync(other, TimeSpan.FromSeconds(90), "aborted");
        var hook = new JsonObject { ["change_id"] = id, ["plan_hash"] = planHash, ["decision"] = "approve", ["approver"] = "dana-hook", ["comment"] = $"LGTM. token: {secrets["token in approval comment"]}" };
        using HttpRequestMessage webhook = WebhookRequest.UpmSigned("generic", LocalHostProcess.WebhookSecret("generic"), hook, Guid.NewGuid().ToString()).ToMessage();
        using HttpResponseMessage approved = await fixture.Host.Http.SendAsync(webhook);
        Assert.True(approved.StatusCode == HttpStatusCode.Accepted, await approved.Content.ReadAsStringAsync());
        JsonNode record = await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(120), "completed");

        // The redactions happened where the secrets were (so the scan below is not vacuous).
        Assert.Contains("***", record["intent"]!["request"]!.GetValue<string>(), StringComparison.Ordinal);
        string storageStdout = record["execution"]!["steps"]!.AsArray().Single(s => s!["step_id"]!.GetValue<string>() == $"az_storage_account/st{suffix}")!["stdout"]!.GetValue<string>();
        Assert.Contains("AccountKey=***", storageStdout, StringComparison.Ordinal);

        // Responses read back after the run (record, plan, evidence pack).
        var served = new List<(string Where, byte[] Bytes)> { ("GET change", Encoding.UTF8.GetBytes(record.ToJsonString())) };
        using (HttpResponseMessage pack = await fixture.Host.Http.SendAsync(LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/evidence", ChangeClient.Auditor)))
        {
            Assert.Equal(HttpStatusCode.OK, pack.StatusCode);
            using var zip = new ZipArchive(new MemoryStream(await pack.Content.ReadAsByteArrayAsync()));
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                using var copy = new MemoryStream();
                await entry.Open().CopyToAsync(copy);
                served.Add(($"evidence pack {entry.FullName}", copy.ToArray()));
            }
        }

        // A canary written by the test into each kind of store proves the scan reads it.
        string canary = Secret("canary");
        await WriteCanariesAsync(canary);
        await Task.Delay(TimeSpan.FromSeconds(2)); // Azurite persists its table database on a short timer.

        List<(string Where, byte[] Bytes)> stored = await StoredBytesAsync();
        stored.Add(("host stdout/stderr", Encoding.UTF8.GetBytes(fixture.Host.Log)));
        stored.AddRange(served);
        long total = stored.Sum(s => (long)s.Bytes.Length);

        foreach (string where in new[] { "blob", "table", "queue" })
        {
            Assert.True(stored.Any(s => s.Where.StartsWith(where, StringComparison.Ordinal) && Contains(s.Bytes, canary)), $"the scan did not see the {where} canary");
        }

        var found = new List<string>();
        foreach (var (label, secret) in secrets)
        {
            foreach (var (where, bytes) in stored)
            {
                if (Contains(bytes, secret))
                {
                    found.Add($"{label} in {where}");
                }
            }
        }

        output.WriteLine($"scanned {stored.Count} items, {total:N0} bytes (blobs, tables incl. {SecurityFixture.TaskHub}History/Instances, queues, Azurite's data folder, host log, responses) for {secrets.Count} secrets: {found.Count} hits");
        Assert.True(found.Count == 0, "secrets found:\n" + string.Join("\n", found));
    }

    // A change whose free text carries three secrets; storage account + namespace + (added by callers) a config map.
    static JsonObject Change(string suffix, Dictionary<string, string> secrets) => new()
    {
        ["request"] = $"Storage for team {suffix}. Use Authorization: Bearer {secrets["bearer in request text"]} and password={secrets["password in request text"]}, or run with --token {secrets["token flag in request text"]}",
        ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg{suffix}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_storage_account", ["name"] = $"st{suffix}", ["resource_group"] = $"rg{suffix}" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks{suffix}", ["resource_group"] = $"rg{suffix}" },
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns{suffix}", ["cluster"] = $"aks{suffix}" }),
        },
        ["approvals"] = new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = 1, ["timeout"] = "P1D" },
    };

    async Task WriteCanariesAsync(string canary)
    {
        var clients = fixture.Azurite.Clients();
        BlobContainerClient container = clients.Blobs.GetBlobContainerClient("canary");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("canary.txt").UploadAsync(BinaryData.FromString(canary), overwrite: true);
        TableClient table = clients.Tables.GetTableClient("canary");
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("canary", "1") { ["Value"] = canary });
        QueueClient queue = new QueueServiceClient(fixture.Azurite.ConnectionString).GetQueueClient("canary");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(canary);
    }

    // Every blob (gzip payloads of the task hub also decompressed), every table entity, every visible queue message,
    // and every file of Azurite's data folder.
    async Task<List<(string Where, byte[] Bytes)>> StoredBytesAsync()
    {
        var items = new List<(string, byte[])>();
        var clients = fixture.Azurite.Clients();
        await foreach (var container in clients.Blobs.GetBlobContainersAsync())
        {
            BlobContainerClient containerClient = clients.Blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in containerClient.GetBlobsAsync())
            {
                byte[] bytes = (await containerClient.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                items.Add(($"blob {container.Name}/{blob.Name}", bytes));
                if (bytes is [0x1f, 0x8b, ..])
                {
                    using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    await gzip.CopyToAsync(plain);
                    items.Add(($"blob {container.Name}/{blob.Name} (gunzipped)", plain.ToArray()));
                }
            }
        }

        await foreach (var table in clients.Tables.QueryAsync())
        {
            var text = new StringBuilder();
            await foreach (TableEntity entity in clients.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in entity)
                {
                    text.Append(key).Append('=').Append(value is byte[] binary ? Encoding.UTF8.GetString(binary) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            items.Add(($"table {table.Name}", Encoding.UTF8.GetBytes(text.ToString())));
        }

        var queues = new QueueServiceClient(fixture.Azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var text = new StringBuilder();
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                text.Append(message.Body.ToString()).Append('\n');
            }

            items.Add(($"queue {queue.Name}", Encoding.UTF8.GetBytes(text.ToString())));
        }

        foreach (string file in Directory.EnumerateFiles(fixture.Azurite.DataFolder, "*", SearchOption.AllDirectories))
        {
            items.Add(($"azurite file {Path.GetRelativePath(fixture.Azurite.DataFolder, file)}", await File.ReadAllBytesAsync(file)));
        }

        return items;
    }

    static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0
        || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;

    static string PemBody(string pem) =>
        string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()))[50..90]; // the private scalar, not the constant PKCS#8 header

}
