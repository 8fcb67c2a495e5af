using System.Collections.Concurrent;
using System.Diagnostics;
using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Providers.Tests.Cli.Runner;

public sealed class CommandRunnerTests : IDisposable
{
    readonly FakeTools _tools = new();
    readonly ConcurrentQueue<string> _log = new();

    public void Dispose() => _tools.Dispose();

    CommandRunner Runner(Func<CommandRunnerOptions, CommandRunnerOptions>? configure = null)
    {
        var options = new CommandRunnerOptions
        {
            Log = _log.Enqueue,
            Retry = RetryPolicy.Default with { BaseDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 4 },
            DefaultTimeout = TimeSpan.FromSeconds(10),
        };
        return new CommandRunner(_tools.Manifest, configure is null ? options : configure(options));
    }

    [Fact]
    public async Task A_manifest_tool_runs_without_a_shell_and_args_arrive_verbatim()
    {
        CommandResult result = await Runner().RunAsync("args 'a b' \"c d\" $HOME '*' 'x;y'");

        Assert.Equal(0, result.Rc);
        Assert.Equal("[a b]\n[c d]\n[$HOME]\n[*]\n[x;y]\n", result.Stdout);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task An_allow_listed_pipeline_runs_as_chained_processes()
    {
        CommandResult sorted = await Runner().RunAsync("printf 'b\\na\\n' | sort | head -1");
        CommandResult counted = await Runner().RunAsync("printf 'x\\ny\\nx\\n' | grep x | wc -l");

        Assert.Equal((0, "a\n"), (sorted.Rc, sorted.Stdout));
        Assert.Equal((0, "2"), (counted.Rc, counted.Stdout.Trim()));
    }

    [Fact]
    public async Task A_pipeline_streams_so_an_endless_producer_stops_when_its_reader_exits()
    {
        CommandResult result = await Runner().RunAsync(new CommandRequest("forever | head -1") { Timeout = TimeSpan.FromSeconds(10) });

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.Rc);
        Assert.Equal("y\n", result.Stdout);
    }

    [Fact]
    public async Task A_failing_first_stage_fails_the_pipeline()
    {
        CommandResult result = await Runner().RunAsync("fails | wc -l");

        Assert.Equal(3, result.Rc);
        Assert.Equal("1", result.Stdout.Trim());
        Assert.Contains("boom", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo hi | bash", "bash", 10)]
    [InlineData("echo hi | curl http://x", "curl", 10)]
    [InlineData("echo hi | grep h | sh", "sh", 19)]
    [InlineData("echo hi | /usr/bin/grep h", "/usr/bin/grep", 10)]
    public async Task A_program_after_a_pipe_outside_the_allow_list_is_refused(string command, string program, int position)
    {
        PipeProgramRefusedException ex = await Assert.ThrowsAsync<PipeProgramRefusedException>(() => Runner().RunAsync(command));

        Assert.Equal(program, ex.Program);
        Assert.Equal(position, ex.Position);
        Assert.Equal("pipe_refused", ex.Reason);
    }

    [Fact]
    public async Task The_pipe_allow_list_is_configurable()
    {
        CommandRunner runner = Runner(o => o with { PipeAllowList = ["wc"] });

        await Assert.ThrowsAsync<PipeProgramRefusedException>(() => runner.RunAsync("echo hi | grep h"));
        Assert.Equal("1", (await runner.RunAsync("echo hi | wc -l")).Stdout.Trim());
    }

    [Theory]
    [InlineData("bash -c id")]
    [InlineData("kubectl get pods")]
    [InlineData("grep x /etc/hosts")]
    public async Task A_tool_outside_the_manifest_is_refused(string command)
    {
        ToolNotInManifestException ex = await Assert.ThrowsAsync<ToolNotInManifestException>(() => Runner().RunAsync(command));

        Assert.Equal(command.Split(' ')[0], ex.Tool);
    }

    [Fact]
    public async Task Nothing_runs_when_a_command_is_refused()
    {
        string marker = Path.Combine(_tools.Dir, "ran");
        var env = new Dictionary<string, string> { ["MARKER"] = marker };

        await Assert.ThrowsAsync<ShellMetaRefusedException>(() => Runner().RunAsync(new CommandRequest("marker ; echo x") { Environment = env }));
        await Assert.ThrowsAsync<PipeProgramRefusedException>(() => Runner().RunAsync(new CommandRequest("marker | bash") { Environment = env }));
        Assert.False(File.Exists(marker));

        await Runner().RunAsync(new CommandRequest("marker") { Environment = env });
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree_and_is_reported()
    {
        string pidFile = Path.Combine(_tools.Dir, "child.pid");
        var clock = Stopwatch.StartNew();

        CommandResult result = await Runner().RunAsync(new CommandRequest("spawner")
        {
            Timeout = TimeSpan.FromMilliseconds(500),
            Environment = new Dictionary<string, string> { ["PID_FILE"] = pidFile },
        });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "sleep 30 must not run to its end");
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.Rc);
        Assert.Contains("timed out after 0.5 s; process tree killed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Attempts);
        Assert.Contains(_log, l => l.Contains("timed out", StringComparison.Ordinal));

        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(child), $"the grandchild sleep {child} must be killed with the tree");
    }

    [Fact]
    public async Task A_timeout_of_a_plain_sleep_is_quick()
    {
        CommandResult result = await Runner().RunAsync(new CommandRequest("sleep 30") { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.True(result.TimedOut);
        Assert.True(result.DurationMs < 10_000);
    }

    [Fact]
    public async Task Retryable_failures_are_retried_with_exponential_backoff()
    {
        string state = Path.Combine(_tools.Dir, "flaky.state");

        CommandResult result = await Runner().RunAsync(new CommandRequest("flaky") { Environment = new Dictionary<string, string> { ["FLAKY_STATE"] = state } });

        Assert.Equal(0, result.Rc);
        Assert.Equal("ok after 3\n", result.Stdout);
        Assert.Equal(3, result.Attempts);
        Assert.Equal([1, 1, 0], result.AttemptLog.Select(a => a.Rc));
        Assert.NotNull(result.AttemptLog[0].RetryReason);
        Assert.Null(result.AttemptLog[2].RetryReason);
        Assert.Equal(0, result.AttemptLog[0].DelayBeforeMs);
        Assert.InRange(result.AttemptLog[1].DelayBeforeMs, 40, 60);
        Assert.InRange(result.AttemptLog[2].DelayBeforeMs, 80, 120);
        Assert.Equal(2, _log.Count(l => l.Contains("retry in", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_and_skip_non_retryable_failures()
    {
        string state = Path.Combine(_tools.Dir, "flaky.state");
        CommandResult limited = await Runner(o => o with { Retry = o.Retry with { MaxAttempts = 2 } })
            .RunAsync(new CommandRequest("flaky") { Environment = new Dictionary<string, string> { ["FLAKY_STATE"] = state } });
        CommandResult plain = await Runner().RunAsync("fails");

        Assert.Equal((1, 2), (limited.Rc, limited.Attempts));
        Assert.Equal((3, 1), (plain.Rc, plain.Attempts));
    }

    [Fact]
    public async Task Retryable_exit_codes_are_configurable()
    {
        CommandResult result = await Runner(o => o with { Retry = o.Retry with { MaxAttempts = 2, RetryableExitCodes = [3] } }).RunAsync("fails");

        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public void Backoff_doubles_within_jitter_and_is_capped()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(350), Jitter = 0.2 };
        var random = new Random(7);

        for (int i = 0; i < 50; i++)
        {
            Assert.InRange(policy.DelayBefore(1, random).TotalMilliseconds, 80, 120);
            Assert.InRange(policy.DelayBefore(2, random).TotalMilliseconds, 160, 240);
            Assert.InRange(policy.DelayBefore(5, random).TotalMilliseconds, 280, 420);
        }
    }

    [Fact]
    public async Task A_certificate_error_is_retried_once_with_the_insecure_flag_and_logged()
    {
        CommandResult result = await Runner().RunAsync("tlsy get pods");

        Assert.Equal(0, result.Rc);
        Assert.Equal("connected insecurely\n", result.Stdout);
        Assert.True(result.TlsFallbackUsed);
        Assert.Equal(2, result.Attempts);
        Assert.Equal("tlsy get pods --insecure-skip-tls-verify", result.Cmd);
        Assert.Equal([false, true], result.AttemptLog.Select(a => a.TlsFallback));
        Assert.Contains("certificate error", result.AttemptLog[0].RetryReason, StringComparison.Ordinal);
        Assert.Single(_log, l => l.Contains("TLS fallback: certificate error; retrying once with --insecure-skip-tls-verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tls_fallback_happens_exactly_once_even_when_it_fails_again()
    {
        CommandResult result = await Runner().RunAsync("tls-broken get pods");

        Assert.Equal(1, result.Rc);
        Assert.True(result.TlsFallbackUsed);
        Assert.Equal(2, result.Attempts);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tls_flag_goes_to_the_tool_not_to_the_pipe_stage()
    {
        CommandResult result = await Runner().RunAsync("tlsy get | wc -l");

        Assert.Equal("tlsy get --insecure-skip-tls-verify | wc -l", result.Cmd);
        Assert.Equal("1", result.Stdout.Trim());
    }

    [Fact]
    public async Task The_tls_fallback_can_be_turned_off()
    {
        CommandResult result = await Runner(o => o with { TlsFallback = false }).RunAsync("tlsy get");

        Assert.Equal((1, 1, false), (result.Rc, result.Attempts, result.TlsFallbackUsed));
    }

    [Fact]
    public async Task Secrets_are_redacted_in_cmd_stdout_stderr_and_log()
    {
        const string line = "--token=tok123secret --password pw456secret Authorization: Bearer bear789secret AccountKey=key000secret== 'https://a/c?sv=1&sig=sig111secret'";
        string[] secrets = ["tok123secret", "pw456secret", "bear789secret", "key000secret", "sig111secret"];

        CommandResult echoed = await Runner().RunAsync($"echo {line}");
        CommandResult errored = await Runner().RunAsync($"to-stderr {line}");

        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(secret, echoed.Cmd, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, echoed.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, errored.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, errored.AttemptLog[0].Cmd, StringComparison.Ordinal);
            Assert.DoesNotContain(_log, l => l.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Equal("echo --token=*** --password *** Authorization: Bearer *** AccountKey=*** 'https://a/c?sv=1&sig=***'", echoed.Cmd);
        Assert.Equal("--token=*** --password *** Authorization: Bearer *** AccountKey=*** https://a/c?sv=1&sig=***\n", echoed.Stdout);
        Assert.Equal(echoed.Stdout, errored.Stderr);
    }

    [Fact]
    public async Task Secrets_pass_through_the_environment_and_their_values_are_redacted()
    {
        const string conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0a2V5";
        CommandResult result = await Runner(o => o with { SecretValues = ["configured-secret-77"] }).RunAsync(new CommandRequest("envdump")
        {
            Environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = conn, ["PLAIN_SETTING"] = "configured-secret-77" },
        });

        Assert.Equal("telemetry=false errors=true conn=*** plain=***\n", result.Stdout);
    }

    [Fact]
    public async Task Output_over_the_limit_is_truncated_and_flagged()
    {
        CommandRunner runner = Runner(o => o with { MaxOutputBytes = 1024 });

        CommandResult big = await runner.RunAsync("head -c 100000 /dev/zero");
        CommandResult bigErr = await runner.RunAsync("bigerr");
        CommandResult small = await runner.RunAsync("echo small");

        Assert.True(big.StdoutTruncated);
        Assert.Equal(1024, big.Stdout.Length);
        Assert.True(bigErr.StderrTrunc);
        Assert.Equal(new string('e', 1024), bigErr.Stderr);
        Assert.False(small.StdoutTruncated || small.StderrTrunc);
    }

    [Fact]
    public async Task A_pipe_program_missing_from_path_is_reported_not_run()
    {
        CommandResult result = await Runner(o => o with { ChildEnvironment = new ChildEnvironment { Path = _tools.Dir + "/empty" } }).RunAsync("echo hi | jq .");

        Assert.Equal(127, result.Rc);
        Assert.Contains("'jq'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_tool_whose_file_is_missing_reports_rc_127()
    {
        var manifest = ToolManifest.From([new ToolSpec { Name = "ghost", Path = "/nonexistent/ghost", Version = "1" }]);

        CommandResult result = await new CommandRunner(manifest).RunAsync("ghost --token=abcdefsecret");

        Assert.Equal(127, result.Rc);
        Assert.Equal("ghost --token=***", result.Cmd);
        Assert.Contains("cannot start", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_kills_the_command_and_throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync("sleep 30", cts.Token));
    }

    [Fact]
    public async Task The_result_maps_to_the_spec_step_shape()
    {
        CommandResult result = await Runner().RunAsync("to-stderr --password hunter2secret");
        StepRecord step = result.ToStepRecord("s1", 1, "created", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        Assert.Equal(("to-stderr --password ***", 0, false), (step.Cmd, step.Rc, step.StderrTrunc));
        Assert.Equal("--password ***\n", step.Stderr);
        string json = UpmJson.Serialize(result);
        Assert.Contains("\"cmd\":\"to-stderr --password ***\"", json, StringComparison.Ordinal);
        Assert.Contains("\"stderr_trunc\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"stdout_truncated\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"tls_fallback_used\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"attempts\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"duration_ms\":", json, StringComparison.Ordinal);
    }

    static async Task<bool> GoneAsync(int pid)
    {
        for (int i = 0; i < 40; i++)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true;
            }

            try
            {
                string text = await File.ReadAllTextAsync(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
