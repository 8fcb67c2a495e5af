using System.IO.Compression;
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
        Host = new LocalHostProcess(Azurite.ConnectionString, "clihub");
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
        int code = await UpmCli.RunAsync([.. args, "--url", $"http://127.0.0.1:{fixture.Host.Port}", "--key", key], console, pollInterval: TimeSpan.FromMilliseconds(100));
        return (code, writer.ToString());
    }

    static string ChangeFile(string suffix, int approvals = 1)
    {
        string path = Path.Combine(Path.GetTempPath(), $"upm-cli-{suffix}.json");
        string json = """{"request": "cli test", "tenant": "acme", "approvals": {"required": APPROVALS}, "target": {"resources": [""" +
            """{"type": "az_resource_group", "name": "rg-SUFFIX", "location": "eastus"}, {"type": "az_aks", "name": "aks-SUFFIX", "resource_group": "rg-SUFFIX"}]}}""";
        File.WriteAllText(path, json.Replace("SUFFIX", suffix, StringComparison.Ordinal).Replace("APPROVALS", approvals.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
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

        var (verifyCode, verifyOut) = await Upm("demo-auditor-key", "verify", id);
        Assert.Equal(0, verifyCode);
        Assert.Contains("evidence intact", verifyOut, StringComparison.Ordinal);

        var (listCode, listOut) = await Upm("demo-submitter-key", "list", "--status", "completed");
        Assert.Equal(0, listCode);
        Assert.Contains(id, listOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_print_the_problem_and_exit_non_zero()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"upm-cli-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, """{"request": "x", "tenant": "acme", "target": {"resources": [{"type": "az_teleporter", "name": "t"}]}}""");

        var (code, output) = await Upm("demo-submitter-key", "submit", bad);
        Assert.Equal(1, code);
        Assert.Contains("400", output, StringComparison.Ordinal);
        Assert.Contains("target.resources[0].type", output, StringComparison.Ordinal);

        var (auth, authOut) = await Upm("not-a-key", "list");
        Assert.Equal(1, auth);
        Assert.Contains("401", authOut, StringComparison.Ordinal);

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
}
