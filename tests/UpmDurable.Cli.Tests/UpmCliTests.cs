using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spectre.Console;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Cli.Tests;

/// <summary>One Azurite and one local host for the CLI tests.</summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Host = new LocalHostProcess(Azurite.ConnectionString, "clihub") { PartitionCount = LocalHostProcess.FunctionalPartitions };
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>The <c>upm</c> verbs against a real local host.</summary>
public sealed class UpmCliTests(CliHostFixture fixture) : IClassFixture<CliHostFixture>
{
    async Task<(int Code, string Output)> Upm(string key, params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 240;
        // A change that never finishes fails the test instead of hanging the run.
        int code = await UpmCli.RunAsync([.. args, "--url", $"http://127.0.0.1:{fixture.Host.Port}", "--key", key], console, pollInterval: TimeSpan.FromMilliseconds(100)).WaitAsync(CliTimeout);
        return (code, writer.ToString());
    }

    static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(3);

    string Endpoint => $"http://127.0.0.1:{fixture.Host.Port}";

    // No --url/--key flags: endpoint and key come from the given environment (and the config file it names).
    static async Task<(int Code, string Output)> UpmWithEnvironment(Dictionary<string, string?> environment, params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 240;
        int code = await UpmCli.RunAsync(args, console, pollInterval: TimeSpan.FromMilliseconds(100), environment: name => environment.GetValueOrDefault(name)).WaitAsync(CliTimeout);
        return (code, writer.ToString());
    }

    // lane: a namespace and a config map in it (two waves, low risk), which the shipped policy's auto-approval lane
    // takes without a human; otherwise an AKS change that needs one approval.
    static string ChangeFile(string suffix, bool lane = false)
    {
        string path = Path.Combine(Path.GetTempPath(), $"upm-cli-{suffix}.json");
        string json = lane
            ? """{"request": "cli test SUFFIX", "tenant": "acme", "target": {"resources": [""" +
              """{"type": "k8s_namespace", "name": "ns-SUFFIX"}, {"type": "k8s_configmap", "name": "cm-SUFFIX", "namespace": "ns-SUFFIX"}]}}"""
            : """{"request": "cli test SUFFIX", "tenant": "acme", "approvals": {"required": 1}, "target": {"resources": [""" +
              """{"type": "az_resource_group", "name": "rg-SUFFIX", "location": "eastus"}, {"type": "az_aks", "name": "aks-SUFFIX", "resource_group": "rg-SUFFIX"}]}}""";
        File.WriteAllText(path, json.Replace("SUFFIX", suffix, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public async Task Plan_prints_the_steps_and_graph_and_submit_wait_approve_and_evidence_work_end_to_end()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        string file = ChangeFile(s);

        var (planCode, planOut) = await Upm("demo-submitter-key", "plan", file);
        Assert.Equal(0, planCode);
        Assert.Contains($"az_aks/aks-{s}", planOut, StringComparison.Ordinal);
        Assert.Contains("create", planOut, StringComparison.Ordinal);
        Assert.Contains("graph TD", planOut, StringComparison.Ordinal);

        var (submitCode, submitOut) = await Upm("demo-submitter-key", "submit", file);
        Assert.Equal(0, submitCode);
        string id = submitOut.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        Task<(int Code, string Output)> follow = Upm("demo-submitter-key", "status", id, "--wait");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (int Code, string Output) approve;
        do
        {
            await Task.Delay(200);
            approve = await Upm("demo-approver-key", "approve", id, "--comment", "cli");
        }
        while (approve.Code != 0 && DateTime.UtcNow < deadline);
        Assert.Equal(0, approve.Code);

        var (followCode, followOut) = await follow;
        Assert.Equal(0, followCode);
        Assert.Contains("approvals pending", followOut, StringComparison.Ordinal);
        Assert.Contains("approved by bob", followOut, StringComparison.Ordinal);
        Assert.Contains("completed", followOut, StringComparison.Ordinal);

        string pack = Path.Combine(Path.GetTempPath(), $"upm-cli-{s}.zip");
        var (evidenceCode, _) = await Upm("demo-auditor-key", "evidence", id, "-o", pack);
        Assert.Equal(0, evidenceCode);
        using (ZipArchive zip = ZipFile.OpenRead(pack))
        {
            Assert.NotNull(zip.GetEntry("manifest.sig"));
        }

        var (offlineCode, offlineOut) = await Upm("demo-auditor-key", "evidence", "verify", pack);
        Assert.Equal(0, offlineCode);
        Assert.Contains("pack intact", offlineOut, StringComparison.Ordinal);

        var (verifyCode, verifyOut) = await Upm("demo-auditor-key", "verify", id);
        Assert.Equal(0, verifyCode);
        Assert.Contains("evidence intact", verifyOut, StringComparison.Ordinal);

        var (listCode, listOut) = await Upm("demo-submitter-key", "list", "--status", "completed");
        Assert.Equal(0, listCode);
        Assert.Contains(id, listOut, StringComparison.Ordinal);

        // A sandbox change is labelled simulated in list and status: nothing real ran.
        string row = listOut.Split('\n').Single(line => line.Contains(id, StringComparison.Ordinal));
        Assert.Matches(@"\bsimulated\b", row);
        var (statusCode, statusOut) = await Upm("demo-submitter-key", "status", id);
        Assert.Equal(0, statusCode);
        Assert.Contains("simulated: sandbox only, nothing real ran", statusOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_print_the_problem_and_exit_non_zero()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"upm-cli-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, """{"request": "x", "tenant": "acme", "target": {"resources": [{"type": "az_teleporter", "name": "t"}]}}""");

        var (code, output) = await Upm("demo-submitter-key", "submit", bad);
        Assert.Equal(2, code);
        Assert.Contains("400", output, StringComparison.Ordinal);
        Assert.Contains($"{bad}:1: target.resources[0].type", output, StringComparison.Ordinal);

        var (auth, authOut) = await Upm("not-a-key", "list");
        Assert.Equal(3, auth);
        Assert.Contains("401", authOut, StringComparison.Ordinal);

        var (forbidden, _) = await Upm("demo-submitter-key", "kpis");
        Assert.Equal(3, forbidden);

        var (missing, missingOut) = await Upm("demo-submitter-key", "status", "chg-does-not-exist");
        Assert.Equal(4, missing);
        Assert.Contains("404", missingOut, StringComparison.Ordinal);

        var (usage, _) = await Upm("demo-submitter-key", "approve");
        Assert.Equal(2, usage);
    }

    [Fact]
    public async Task Operator_verbs_pause_and_abort_a_change()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        var (_, submitOut) = await Upm("demo-submitter-key", "submit", ChangeFile(s));
        string id = submitOut.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        await Task.Delay(1500);

        var (abortCode, abortOut) = await Upm("demo-admin-key", "abort", id, "--reason", "wrong cluster");
        Assert.Equal(0, abortCode);
        Assert.Contains("abort of", abortOut, StringComparison.Ordinal);
        var (followCode, followOut) = await Upm("demo-submitter-key", "status", id, "--wait");
        Assert.Equal(1, followCode);
        Assert.Contains("aborted", followOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_files_name_the_line_and_field()
    {
        string syntax = Path.Combine(Path.GetTempPath(), $"upm-cli-syntax-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(syntax, "{\n  \"request\": \"x\",\n  \"tenant\": \"acme\"\n  \"target\": {}\n}\n");
        var (code, output) = await Upm("demo-submitter-key", "plan", syntax);
        Assert.Equal(2, code);
        Assert.Contains($"{syntax}:4:3: invalid JSON", output, StringComparison.Ordinal);

        string invalid = Path.Combine(Path.GetTempPath(), $"upm-cli-invalid-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(invalid, """
            {
              "request": "x",
              "tenant": "acme",
              "target": {
                "resources": [
                  {"type": "az_resource_group", "name": "rg-ok", "location": "eastus"},
                  {"type": "az_resource_group",
                   "name": "bad name with spaces", "location": "eastus"}
                ]
              }
            }
            """);
        var (invalidCode, invalidOut) = await Upm("demo-submitter-key", "submit", invalid);
        Assert.Equal(2, invalidCode);
        Assert.Contains($"{invalid}:8: target.resources[1].name", invalidOut, StringComparison.Ordinal);

        var (missingCode, missingOut) = await Upm("demo-submitter-key", "submit", "/nonexistent/change.json");
        Assert.Equal(2, missingCode);
        Assert.Contains("/nonexistent/change.json", missingOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_json_works_on_every_verb()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        string file = ChangeFile(s, lane: true);

        JsonNode plan = Json(await Upm("demo-submitter-key", "plan", file, "--output", "json"));
        Assert.StartsWith("sha256:", plan["plan"]!["plan_hash"]!.GetValue<string>(), StringComparison.Ordinal);

        var (waitCode, waitOut) = await Upm("demo-submitter-key", "submit", file, "--wait", "--output", "json");
        Assert.Equal(0, waitCode);
        JsonNode final = JsonNode.Parse(waitOut)!;
        string id = final["change_id"]!.GetValue<string>();
        Assert.Equal("completed", final["status"]!.GetValue<string>());

        Assert.Equal(id, Json(await Upm("demo-submitter-key", "status", id, "--output", "json"))["change_id"]!.GetValue<string>());
        Assert.Contains(Json(await Upm("demo-submitter-key", "list", "--output", "json"))["changes"]!.AsArray(), c => c!["change_id"]!.GetValue<string>() == id);
        Assert.True(Json(await Upm("demo-auditor-key", "verify", id, "--output", "json"))["ok"]!.GetValue<bool>());

        string pack = Path.Combine(Path.GetTempPath(), $"upm-cli-json-{s}.zip");
        Assert.Equal(pack, Json(await Upm("demo-auditor-key", "evidence", id, "-o", pack, "--output", "json"))["file"]!.GetValue<string>());
        Assert.True(Json(await Upm("demo-auditor-key", "evidence", "verify", pack, "--output", "json"))["ok"]!.GetValue<bool>());

        JsonNode kpis = Json(await Upm("demo-auditor-key", "kpis", "--since", "2020-01-01T00:00:00Z", "--output", "json"));
        Assert.Equal(10, kpis["kpis"]!.AsArray().Count);
        Assert.Equal(5, Json(await Upm("demo-auditor-key", "scorecard", "--output", "json"))["scorecard"]!["phases"]!.AsArray().Count);

        var (driftCode, driftOut) = await Upm("demo-submitter-key", "drift", "chg-does-not-exist", "--output", "json");
        Assert.Equal(4, driftCode);
        Assert.Equal("not_monitored", JsonNode.Parse(driftOut)!["status"]!.GetValue<string>());

        var (refusedCode, refusedOut) = await Upm("not-a-key", "list", "--output", "json");
        Assert.Equal(3, refusedCode);
        Assert.Equal(401, JsonNode.Parse(refusedOut)!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Kpis_scorecard_and_drift_print_tables()
    {
        var (kpiCode, kpiOut) = await Upm("demo-auditor-key", "kpis");
        Assert.Equal(0, kpiCode);
        Assert.Contains("change_success_pct", kpiOut, StringComparison.Ordinal);

        Assert.Matches(@"\d+ on real providers \(counted\), \d+ simulated \(not counted\)", kpiOut);

        var (cardCode, cardOut) = await Upm("demo-auditor-key", "scorecard");
        Assert.Equal(0, cardCode);
        Assert.Contains("overall level", cardOut, StringComparison.Ordinal);
        Assert.Matches(@"levels from \d+ on real providers \(counted\), \d+ simulated \(not counted\); basis (real_changes|no_data)", cardOut);
        Assert.Contains("execute", cardOut, StringComparison.Ordinal);

        var (driftCode, driftOut) = await Upm("demo-submitter-key", "drift", "chg-does-not-exist");
        Assert.Equal(4, driftCode);
        Assert.Contains("not monitored", driftOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_and_key_come_from_flags_environment_or_config_file()
    {
        var (envCode, _) = await UpmWithEnvironment(new() { ["UPM_ENDPOINT"] = Endpoint, ["UPM_API_KEY"] = "demo-submitter-key", ["HOME"] = "/nonexistent" }, "list");
        Assert.Equal(0, envCode);

        string config = Path.Combine(Path.GetTempPath(), $"upm-cli-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, new JsonObject { ["endpoint"] = Endpoint, ["api_key"] = "demo-auditor-key" }.ToJsonString());
        var (configCode, _) = await UpmWithEnvironment(new() { ["UPM_CONFIG"] = config }, "kpis");
        Assert.Equal(0, configCode);

        // The environment wins over the file, the flag over both.
        var (envWins, _) = await UpmWithEnvironment(new() { ["UPM_CONFIG"] = config, ["UPM_API_KEY"] = "demo-submitter-key" }, "kpis");
        Assert.Equal(3, envWins);
        var (flagWins, _) = await UpmWithEnvironment(new() { ["UPM_CONFIG"] = config, ["UPM_API_KEY"] = "demo-submitter-key" }, "kpis", "--key", "demo-auditor-key");
        Assert.Equal(0, flagWins);

        // ~/.config/upm/config.json when nothing else names one.
        string home = Path.Combine(Path.GetTempPath(), $"upm-cli-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(home, ".config", "upm"));
        File.Copy(config, Path.Combine(home, ".config", "upm", "config.json"));
        var (homeCode, _) = await UpmWithEnvironment(new() { ["HOME"] = home }, "kpis");
        Assert.Equal(0, homeCode);

        await File.WriteAllTextAsync(config, "{\n  \"endpoint\": ,\n}");
        var (badConfig, badOut) = await UpmWithEnvironment(new() { ["UPM_CONFIG"] = config }, "list");
        Assert.Equal(2, badConfig);
        Assert.Contains($"{config}:2", badOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_shows_phase_waves_and_pending_approvals_as_plain_lines_when_redirected()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        var writer = new StringWriter();
        TextWriter live = TextWriter.Synchronized(writer);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(live), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 240;
        Task<int> submit = UpmCli.RunAsync(["submit", ChangeFile(s), "--wait", "--url", Endpoint, "--key", "demo-submitter-key"], console, pollInterval: TimeSpan.FromMilliseconds(100)).WaitAsync(CliTimeout);
        string Printed()
        {
            lock (live)
            {
                return writer.ToString();
            }
        }

        // Approve only once the follower has printed the pending approvals: approving as soon as the list shows the change
        // waiting raced the follower's poll, which then never saw the change wait.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Printed().Contains("approvals pending", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        string? id = Regex.Match(Printed(), "submitted (chg-[0-9a-f]+)") is { Success: true } m ? m.Groups[1].Value : null;
        Assert.NotNull(id);
        Assert.Equal(0, (await Upm("demo-approver-key", "approve", id)).Code);
        int code = await submit;
        string output = Printed();
        Assert.Equal(0, code);
        Assert.Contains("approvals pending: 0 of 1 from platform-owners", output, StringComparison.Ordinal);
        Assert.Contains("phase execute (running)", output, StringComparison.Ordinal);
        Assert.Contains("wave 1/2: 1/1 steps", output, StringComparison.Ordinal);
        Assert.Contains("wave 2/2: 1/1 steps", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_draws_live_bars_on_an_interactive_terminal()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, ColorSystem = ColorSystemSupport.Standard });
        console.Profile.Width = 160;
        int code = await UpmCli.RunAsync(["submit", ChangeFile(s, lane: true), "--wait", "--url", Endpoint, "--key", "demo-submitter-key"], console, pollInterval: TimeSpan.FromMilliseconds(100)).WaitAsync(CliTimeout);
        string output = writer.ToString();
        Assert.Equal(0, code);
        Assert.Contains("\u001b[", output, StringComparison.Ordinal);
        Assert.Contains("wave 2/2: 1/1 steps", output, StringComparison.Ordinal);
        Assert.Contains("completed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_verify_offline_locates_a_tampered_pack()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        var (_, submitOut) = await Upm("demo-submitter-key", "submit", ChangeFile(s, lane: true), "--wait", "--output", "json");
        string id = JsonNode.Parse(submitOut)!["change_id"]!.GetValue<string>();
        string pack = Path.Combine(Path.GetTempPath(), $"upm-cli-tamper-{s}.zip");
        Assert.Equal(0, (await Upm("demo-auditor-key", "evidence", id, "-o", pack)).Code);

        // The service's published key, as a verifier would keep it.
        using var http = new HttpClient { BaseAddress = new Uri(Endpoint) };
        string pem = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/evidence/public-key", UriKind.Relative)))!["public_key_pem"]!.GetValue<string>();
        string keyFile = Path.Combine(Path.GetTempPath(), $"upm-cli-key-{s}.pem");
        await File.WriteAllTextAsync(keyFile, pem);
        var (okCode, okOut) = await Upm("demo-auditor-key", "evidence", "verify", pack, "--public-key", keyFile);
        Assert.Equal(0, okCode);
        Assert.Contains("pack intact", okOut, StringComparison.Ordinal);

        using (ZipArchive zip = ZipFile.Open(pack, ZipArchiveMode.Update))
        {
            ZipArchiveEntry record = zip.Entries.First(e => e.FullName.StartsWith("records/", StringComparison.Ordinal));
            string name = record.FullName;
            string text;
            using (var reader = new StreamReader(record.Open()))
            {
                text = await reader.ReadToEndAsync();
            }

            record.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            await writer.WriteAsync(text.Replace("acme", "acmf", StringComparison.Ordinal));
        }

        var (badCode, badOut) = await Upm("demo-auditor-key", "evidence", "verify", pack, "--public-key", keyFile);
        Assert.Equal(1, badCode);
        Assert.Contains("does not match its sha256", badOut, StringComparison.Ordinal);
    }

    static JsonNode Json((int Code, string Output) result)
    {
        Assert.True(result.Code == 0, result.Output);
        return JsonNode.Parse(result.Output)!;
    }
}
