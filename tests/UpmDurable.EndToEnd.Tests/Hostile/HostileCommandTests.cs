using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Hostile;

/// <summary>
/// A hostile submitter with the least privileged key (submitter, no groups) sends command steps that tried to run code,
/// read or write host files, dump the host's environment, or reach the service's own storage through the cli target.
/// Each is refused at the door with 400 naming the field, the stage and the offending word — on POST /api/changes and
/// POST /api/plans alike — and no marker file, host environment byte or service data appears anywhere.
/// </summary>
[Collection("hostile")]
public sealed class HostileCommandTests(HostileFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    readonly ChangeClient api = fixture.Api;

    // The marker any payload would create if it ran; {m} in a payload is replaced by it.
    static readonly string Marker = Path.Combine(Path.GetTempPath(), "upm-hostile-" + Guid.NewGuid().ToString("N"));

    static JsonObject CommandChange(string suffix, string field, string command)
    {
        var step = new JsonObject { ["type"] = "command", ["name"] = $"probe-{suffix}", ["command"] = "az storage container list --output json" };
        step[field] = command;
        return new JsonObject
        {
            ["request"] = $"probe {suffix}",
            ["tenant"] = "acme",
            ["target"] = new JsonObject { ["provider"] = "cli", ["resources"] = new JsonArray(step) },
        };
    }

    /// <summary>Payload, the word the refusal must name.</summary>
    public static TheoryData<string, string> Payloads => new()
    {
        // The incident: a pipe program's arguments ran a shell.
        { "az version | jq -n -r 'range(0;20000) | \"touch {m}\"' | sort -S 64K --compress-program=sh", "-S" },
        { "az version | jq -r '.[]' | sort --compress-program=sh", "--compress-program" },
        { "az version | jq -r '.[]' | sort --compress=sh", "--compress" },
        { "az version | sort -o {m}", "-o" },
        { "az version | sort -T /tmp", "-T" },
        { "az version | sort --files0-from=/etc/passwd", "--files0-from" },
        { "az version | sort --random-source=/etc/passwd", "--random-source" },
        // Host files read through a pipe stage's operand.
        { "az version | head -c 4096 /etc/passwd", "/etc/passwd" },
        { "az version | tail -n 5 /etc/hostname", "/etc/hostname" },
        { "az version | uniq - {m}", "'-'" },
        { "az version | grep -r root /etc", "-r" },
        { "az version | grep -f /etc/passwd", "-f" },
        { "az version | wc --files0-from=/etc/passwd", "--files0-from" },
        { "az version | cut -f1 /etc/shadow", "/etc/shadow" },
        // The host's environment and files through jq.
        { "az version | jq -n env", "'env'" },
        { "az version | jq -n '$ENV'", "$ENV" },
        { "az version | jq --rawfile f /etc/passwd '$f'", "--rawfile" },
        { "az version | jq --slurpfile f /etc/passwd .", "--slurpfile" },
        { "az version | jq -L /tmp 'import \"x\" as x; .'", "-L" },
        { "az version | jq 'input_filename'", "input_filename" },
        { "az version | jq '$__loc__'", "$__loc__" },
        { "az version | jq -n 'inputs'", "inputs" },
        { "az version | jq '\"\\(env.HOME)\"'", "env" },
        // The first program: only catalog reads of the cli target.
        { "az storage blob download --container-name upm-keys --name signing.pem --file {m}", "az storage blob download" },
        { "az storage blob delete-batch --source upm-evidence", "az storage blob delete-batch" },
        { "az storage container delete --name upm-evidence", "az storage container delete" },
        { "az storage entity query --table-name upmindex", "az storage entity query" },
        { "az rest --method get --url http://127.0.0.1:10000/", "'az rest" },
        { "az extension add --name x", "az extension add" },
        { "az login --service-principal", "'az login" },
        { "az storage container show --name @/etc/passwd", "@/etc/passwd" },
        { "az storage container list --account-name devstoreaccount1", "--account-name" },
        { "az storage container list --blob-endpoint http://127.0.0.1:10000/devstoreaccount1", "--blob-endpoint" },
        { "bash -c id", "'bash" },
        { "/usr/bin/env", "/usr/bin/env" },
        { "az storage container list --output json | sh", "'sh'" },
        { "az storage container list; touch {m}", "';'" },
        { "az storage container list $(touch {m})", "$(" },
        { "az storage container list > {m}", ">" },
        { "az storage container list && touch {m}", "&&" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task An_abusive_command_is_refused_at_submit_and_in_a_dry_run_naming_the_word_and_nothing_runs(string payload, string word)
    {
        string command = payload.Replace("{m}", Marker, StringComparison.Ordinal);
        foreach (string field in new[] { "command", "read_back" })
        {
            string body = CommandChange(ChangeClient.Suffix(), field, command).ToJsonString();
            foreach (string route in new[] { "/api/changes", "/api/plans" })
            {
                var (status, problem) = await api.SendAsync(HttpMethod.Post, route, ChangeClient.Viewer, body);

                Assert.True(status == HttpStatusCode.BadRequest, $"{route} {field}: {status} {problem}");
                string message = Assert.Single(problem!["errors"]![$"target.resources[0].{field}"]!.AsArray())!.GetValue<string>();
                Assert.Contains(word, message, StringComparison.Ordinal);
                Assert.Contains("position", message, StringComparison.Ordinal);
                Assert.DoesNotContain(HostileFixture.HostCanary, problem.ToJsonString(), StringComparison.Ordinal);
            }
        }

        Assert.False(File.Exists(Marker), "a refused command ran");
        Assert.DoesNotContain(HostileFixture.HostCanary, fixture.Host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_a_command_is_refused_with_secretref_advice_and_never_echoed()
    {
        string key = fixture.Azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];
        string[] commands =
        [
            $"az storage container list --account-key {key}",
            $"az storage container list --connection-string DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key}",
            "az storage container list --sas-token sv=2021-08-06&sig=c2VjcmV0c2lnbmF0dXJlc2VjcmV0",
        ];
        foreach (string command in commands)
        {
            var (status, problem) = await api.SendAsync(HttpMethod.Post, "/api/changes", ChangeClient.Viewer, CommandChange(ChangeClient.Suffix(), "command", command).ToJsonString());

            Assert.Equal(HttpStatusCode.BadRequest, status);
            string text = problem!.ToJsonString();
            Assert.Contains("secretref:", text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain("c2VjcmV0c2lnbmF0dXJlc2VjcmV0", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(key, fixture.Host.Log, StringComparison.Ordinal);
    }

    [AzCliFact]
    public async Task An_allowed_catalog_read_needs_a_human_runs_in_the_clean_room_and_sees_only_the_target_account()
    {
        // The service's own storage holds evidence, policies, the index: the cli target must show none of it.
        var serviceBlobs = new BlobServiceClient(fixture.Azurite.ConnectionString);
        var serviceContainers = new List<string>();
        await foreach (var c in serviceBlobs.GetBlobContainersAsync())
        {
            serviceContainers.Add(c.Name);
        }

        var serviceTables = new List<string>();
        await foreach (var t in new TableServiceClient(fixture.Azurite.ConnectionString).QueryAsync())
        {
            serviceTables.Add(t.Name);
        }

        Assert.NotEmpty(serviceContainers);
        Assert.NotEmpty(serviceTables);
        string s = ChangeClient.Suffix();
        await new BlobServiceClient(fixture.Target.ConnectionString).GetBlobContainerClient($"target-{s}").CreateAsync();
        var change = new JsonObject
        {
            ["request"] = $"list storage {s}",
            ["tenant"] = "acme",
            ["target"] = new JsonObject
            {
                ["provider"] = "cli",
                ["resources"] = new JsonArray(
                    new JsonObject { ["type"] = "command", ["name"] = $"containers-{s}", ["command"] = "az storage container list --output json | jq -r '.[].name' | sort" },
                    new JsonObject { ["type"] = "command", ["name"] = $"tables-{s}", ["command"] = "az storage table list --output json" }),
            },
        };

        var (id, planHash) = await api.SubmitAsync(change, ChangeClient.Viewer);

        // Command steps never take the auto-approval lane: a human from the policy's groups must decide.
        JsonNode waiting = await api.WaitForStatusAsync(id, Timeout, "awaiting_approval", "completed", "failed", "preflight_failed");
        Assert.Equal("awaiting_approval", waiting["status"]!.GetValue<string>());
        Assert.Equal("every-change-needs-a-human", waiting["approvals"]!["rule"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await api.DecideAsync(id, "approve", planHash, ChangeClient.Approver)).Status);
        JsonNode done = await api.WaitForStatusAsync(id, Timeout, "completed", "failed", "rolled_back", "rollback_failed");
        Assert.Equal("completed", done["status"]!.GetValue<string>());

        var steps = done["execution"]!["steps"]!.AsArray().ToDictionary(x => x!["step_id"]!.GetValue<string>(), x => x!["stdout"]?.GetValue<string>() ?? "");
        Assert.Contains($"target-{s}", steps[$"command/containers-{s}"], StringComparison.Ordinal);
        string everything = done.ToJsonString() + fixture.Host.Log;
        foreach (string name in serviceContainers.Concat(serviceTables))
        {
            Assert.DoesNotContain($"\"{name}\"", steps[$"command/tables-{s}"], StringComparison.Ordinal);
            Assert.DoesNotContain(name + "\n", steps[$"command/containers-{s}"], StringComparison.Ordinal);
        }

        Assert.DoesNotContain(HostileFixture.HostCanary, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Azurite.ConnectionString, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Target.ConnectionString, everything, StringComparison.Ordinal);
    }
}
