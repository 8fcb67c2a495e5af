using System.Text.Json;
using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;
using Xunit;

namespace UpmDurable.Providers.Tests.Cli.Runner;

/// <summary>
/// Every child the runner starts sees nothing of the host: a variable set only in this process, the host's PATH and
/// the host's working folder stay out; the child gets exactly the clean room's names plus the request's credentials.
/// </summary>
public sealed class CleanRoomTests : IDisposable
{
    const string Probe = "UPM_HOST_ONLY_PROBE";
    const string Credentials = "DefaultEndpointsProtocol=http;AccountName=target;AccountKey=dGFyZ2V0a2V5";

    static readonly string[] AllowedNames =
    [
        "AZURE_CONFIG_DIR", "AZURE_CORE_COLLECT_TELEMETRY", "AZURE_CORE_NO_COLOR", "AZURE_CORE_ONLY_SHOW_ERRORS",
        "AZURE_STORAGE_CONNECTION_STRING", "DOTNET_CLI_TELEMETRY_OPTOUT", "HOME", "LANG", "PATH",
    ];

    readonly FakeTools _tools = new();
    readonly CommandRunner _runner;

    public CleanRoomTests()
    {
        // A stand-in for the service's own secrets: in this process's environment, never in a child's.
        Environment.SetEnvironmentVariable(Probe, "host-only-" + Guid.NewGuid().ToString("N"));
        _tools.Script("where", """
            pwd
            ls -A
            """);
        ToolManifest manifest = ToolManifest.From(
        [
            .. _tools.Manifest.Tools.Values,
            new ToolSpec { Name = "env", Path = "/usr/bin/env", Version = "9.1" },
            new ToolSpec { Name = "where", Path = Path.Combine(_tools.Dir, "where"), Version = "1.0.0" },
        ]);
        _runner = new CommandRunner(manifest, new CommandRunnerOptions { Retry = RetryPolicy.None, DefaultTimeout = TimeSpan.FromSeconds(10) });
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Probe, null);
        _tools.Dispose();
    }

    // What `env` printed: one NAME=value a line.
    static Dictionary<string, string> EnvOf(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    static CommandRequest WithCredentials(string commandLine) =>
        new(commandLine) { Environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = Credentials } };

    [Fact]
    public async Task A_manifest_tool_sees_exactly_the_clean_room_and_its_credentials()
    {
        CommandResult result = await _runner.RunAsync(WithCredentials("env"));

        Assert.Equal(0, result.Rc);
        Dictionary<string, string> env = EnvOf(result.Stdout);
        Assert.DoesNotContain(Probe, env.Keys);
        Assert.Equal(AllowedNames, env.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ChildEnvironment.FixedPath, env["PATH"]);
        Assert.Equal("C.UTF-8", env["LANG"]);
        Assert.Equal("***", env["AZURE_STORAGE_CONNECTION_STRING"]); // it arrived, and its value is redacted from output
        Assert.NotEqual(Environment.GetEnvironmentVariable("HOME"), env["HOME"]);
    }

    [Fact]
    public async Task A_pipe_stage_sees_exactly_the_clean_room_and_its_credentials()
    {
        // `jq -n env` is refused by the pipe-stage guard; a program an operator adds to the pipe allow-list runs with no
        // arguments, so `env` as a pipe stage shows what any stage sees.
        ToolManifest manifest = ToolManifest.From([.. _tools.Manifest.Tools.Values]);
        var runner = new CommandRunner(manifest, new CommandRunnerOptions
        {
            Retry = RetryPolicy.None,
            DefaultTimeout = TimeSpan.FromSeconds(10),
            PipeAllowList = [.. UpmDurable.Core.Model.Canonicals.DefaultPipeAllowList, "env"],
        });
        CommandResult result = await runner.RunAsync(WithCredentials("echo x | env"));

        Assert.Equal(0, result.Rc);
        Dictionary<string, string> env = EnvOf(result.Stdout);
        Assert.DoesNotContain(Probe, env.Keys);
        Assert.Equal(AllowedNames, env.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ChildEnvironment.FixedPath, env["PATH"]);
    }

    [Fact]
    public async Task A_child_runs_in_a_private_empty_folder_that_is_gone_afterwards()
    {
        CommandResult first = await _runner.RunAsync("where");
        CommandResult second = await _runner.RunAsync("where");

        string dir = first.Stdout.Split('\n')[0];
        Assert.Equal(0, first.Rc);
        Assert.Equal(dir + "\n", first.Stdout); // ls -A printed nothing: the folder was empty
        Assert.NotEqual(Path.GetFullPath(Environment.CurrentDirectory), dir);
        Assert.NotEqual(dir, second.Stdout.Split('\n')[0]);
        Assert.StartsWith("upm-run-", Path.GetFileName(dir), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir), $"{dir} must be deleted after the run");
    }

    [Fact]
    public async Task Pipe_programs_never_come_from_the_host_path()
    {
        string hostOnly = Path.Combine(_tools.Dir, "host-bin");
        Directory.CreateDirectory(hostOnly);
        File.Move(_tools.Script("sort", "echo hijacked"), Path.Combine(hostOnly, "sort"));
        string? hostPath = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", hostOnly + Path.PathSeparator + hostPath);
        try
        {
            CommandResult sorted = await _runner.RunAsync("printf 'b\\na\\n' | sort");
            CommandResult path = await _runner.RunAsync("env");

            Assert.Equal("a\nb\n", sorted.Stdout);
            Assert.Contains($"PATH={ChildEnvironment.FixedPath}\n", path.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(hostOnly, path.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", hostPath);
        }
    }

    [Fact]
    public async Task A_request_cannot_replace_the_clean_rooms_names_and_nothing_runs()
    {
        string marker = Path.Combine(_tools.Dir, "ran");

        ArgumentException ex = await Assert.ThrowsAsync<ArgumentException>(() => _runner.RunAsync(new CommandRequest("marker")
        {
            Environment = new Dictionary<string, string> { ["MARKER"] = marker, ["PATH"] = "/tmp", ["Home"] = "/root" },
        }));

        Assert.Contains("Home, PATH", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task The_configured_home_and_tool_config_folder_are_the_childs()
    {
        string home = Directory.CreateDirectory(Path.Combine(_tools.Dir, "home")).FullName;
        string config = Directory.CreateDirectory(Path.Combine(_tools.Dir, "az")).FullName;
        var runner = new CommandRunner(ToolManifest.From([new ToolSpec { Name = "env", Path = "/usr/bin/env", Version = "9.1" }]),
            new CommandRunnerOptions { ChildEnvironment = new ChildEnvironment { Home = home, AzureConfigDir = config } });

        CommandResult result = await runner.RunAsync("env");

        Assert.Contains($"HOME={home}\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"AZURE_CONFIG_DIR={config}\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_version_check_runs_in_the_clean_room()
    {
        string probe = _tools.Script("probe-version", $$"""
            if [ -z "${{{Probe}}+x}" ] && [ "$PATH" = "{{ChildEnvironment.FixedPath}}" ] && [ "$(pwd)" = "$HOME" ]; then echo "clean 1.0.0"; else echo "leaked 0.0.0"; fi
            """);
        ToolManifest manifest = ToolManifest.From([new ToolSpec { Name = "probe", Path = probe, Version = "1.0.0", VersionArgs = [], VersionPattern = @"clean (\d+\.\d+\.\d+)" }]);

        ToolCheck check = await manifest.CheckAsync("probe");

        Assert.True(check.Ok, check.Message);
    }
}
