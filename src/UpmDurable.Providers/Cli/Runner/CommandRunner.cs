using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

using UpmDurable.Core.Execution;

namespace UpmDurable.Providers.Cli.Runner;

/// <summary>
/// The guarded command runner: parses a command line itself, refuses shell metas, unlisted pipe programs and tools
/// outside the manifest before anything runs, then executes without a shell with timeout, retries, TLS fallback,
/// bounded output and secret redaction. Every child runs in the <see cref="CommandRunnerOptions.ChildEnvironment"/>
/// clean room: nothing of the host's environment, PATH or working folder reaches it.
/// </summary>
public sealed partial class CommandRunner(ToolManifest manifest, CommandRunnerOptions? options = null)
{
    readonly CommandRunnerOptions _options = options ?? new CommandRunnerOptions();

    public CommandRunnerOptions Options => _options;

    /// <summary>Parses and checks a command without running it; throws a <see cref="CommandRefusedException"/> subtype when refused.</summary>
    public ParsedCommandLine Validate(string commandLine)
    {
        ParsedCommandLine parsed = CommandGuard.Check(commandLine, [.. _options.PipeAllowList], _options.QuotedMetas);

        string program = parsed.Segments[0].Program;
        if (!manifest.TryResolve(program, out _))
        {
            throw new ToolNotInManifestException(SecretRedactor.Default.Redact(program));
        }

        return parsed;
    }

    /// <summary>Runs a command line with no extra environment.</summary>
    public Task<CommandResult> RunAsync(string commandLine, CancellationToken cancellationToken = default) =>
        RunAsync(new CommandRequest(commandLine), cancellationToken);

    /// <summary>
    /// Runs a command. Refusals throw before any process starts; a command that ran (even failing, timing out or not
    /// starting) returns a <see cref="CommandResult"/>. Cancellation kills the process tree and throws.
    /// </summary>
    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ParsedCommandLine parsed = Validate(request.CommandLine);
        ChildEnvironment room = _options.ChildEnvironment;
        SecretRedactor redactor = RedactorFor(request);
        RetryPolicy retry = request.Retry ?? _options.Retry;
        TimeSpan timeout = request.Timeout ?? _options.DefaultTimeout;
        var started = Stopwatch.StartNew();

        manifest.TryResolve(parsed.Segments[0].Program, out ToolSpec tool);
        var stages = new List<List<string>>();
        stages.Add([tool.Path, .. parsed.Segments[0].Argv.Skip(1)]);
        for (int i = 1; i < parsed.Segments.Count; i++)
        {
            CommandSegment segment = parsed.Segments[i];
            // Pipe programs come from the clean room's fixed PATH, never the host's: they are allow-listed, not pinned.
            string? path = room.Resolve(segment.Program);
            if (path is null)
            {
                return NotStarted(redactor.Redact(parsed.Text), $"'{segment.Program}' (pipe stage at position {segment.Position}) was not found on {room.Path}", started);
            }

            stages.Add([path, .. segment.Argv.Skip(1)]);
        }

        var attempts = new List<CommandAttempt>();
        bool tlsFallback = false;
        int ordinaryAttempts = 0;
        long delayBeforeMs = 0;
        while (true)
        {
            string cmd = redactor.Redact(tlsFallback ? WithTlsFlag(parsed) : parsed.Text);
            ordinaryAttempts += tlsFallback ? 0 : 1;
            var attemptClock = Stopwatch.StartNew();
            ProcessOutcome outcome;
            try
            {
                outcome = await ProcessPipeline.RunAsync(stages, room, request.Environment, timeout, _options.MaxOutputBytes, cancellationToken);
            }
            catch (ProgramStartException ex)
            {
                attempts.Add(new CommandAttempt(attempts.Count + 1, cmd, ProcessPipeline.NotStartedRc, false, tlsFallback, delayBeforeMs, attemptClock.ElapsedMilliseconds, null));
                Log($"[{cmd}] attempt {attempts.Count}: {redactor.Redact(ex.Message)}");
                return NotStarted(cmd, redactor.Redact(ex.Message), started) with { Attempts = attempts.Count, AttemptLog = attempts, TlsFallbackUsed = tlsFallback };
            }

            long attemptMs = attemptClock.ElapsedMilliseconds;
            bool ok = outcome.Rc == 0 && !outcome.TimedOut;
            string? retryReason = null;
            bool useTlsNext = false;
            TimeSpan delay = TimeSpan.Zero;
            if (!ok && !tlsFallback && _options.TlsFallback && !parsed.Segments[0].Argv.Contains(_options.TlsFallbackFlag) && Matches(_options.CertificateErrorPatterns, outcome.Stderr))
            {
                useTlsNext = true;
                retryReason = $"certificate error; retrying once with {_options.TlsFallbackFlag}";
            }
            else if (!ok && !tlsFallback && ordinaryAttempts < retry.MaxAttempts && IsRetryable(retry, outcome))
            {
                delay = retry.DelayBefore(ordinaryAttempts, Random.Shared);
                retryReason = outcome.TimedOut ? "timed out" : $"retryable failure (rc {outcome.Rc})";
            }

            attempts.Add(new CommandAttempt(attempts.Count + 1, cmd, outcome.Rc, outcome.TimedOut, tlsFallback, delayBeforeMs, attemptMs, retryReason));
            Log($"[{cmd}] attempt {attempts.Count}: rc {outcome.Rc}{(outcome.TimedOut ? $", timed out after {timeout.TotalSeconds:0.###} s, process tree killed" : "")}{(tlsFallback ? ", TLS fallback" : "")} in {attemptMs} ms");
            if (retryReason is null)
            {
                return Finish(cmd, outcome, redactor, timeout, attempts, tlsFallback, started);
            }

            Log(useTlsNext
                ? $"[{cmd}] TLS fallback: {retryReason}"
                : $"[{cmd}] {retryReason}; retry in {delay.TotalMilliseconds:0} ms");
            if (useTlsNext)
            {
                tlsFallback = true;
                stages[0].Add(_options.TlsFallbackFlag);
            }

            delayBeforeMs = (long)delay.TotalMilliseconds;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            }
        }
    }

    CommandResult Finish(string cmd, ProcessOutcome outcome, SecretRedactor redactor, TimeSpan timeout, List<CommandAttempt> attempts, bool tlsFallback, Stopwatch started)
    {
        string stderr = outcome.Stderr;
        if (outcome.TimedOut)
        {
            stderr += $"{(stderr.Length > 0 && !stderr.EndsWith('\n') ? "\n" : "")}upm: timed out after {timeout.TotalSeconds:0.###} s; process tree killed\n";
        }

        (string stdoutText, bool stdoutCut) = Bound(redactor.Redact(outcome.Stdout), outcome.StdoutBytes);
        (string stderrText, bool stderrCut) = Bound(redactor.Redact(stderr), outcome.StderrBytes);
        return new CommandResult
        {
            Cmd = cmd,
            Rc = outcome.Rc,
            Stdout = stdoutText,
            StdoutTruncated = stdoutCut,
            Stderr = stderrText,
            StderrTrunc = stderrCut,
            Attempts = attempts.Count,
            TlsFallbackUsed = tlsFallback,
            TimedOut = outcome.TimedOut,
            DurationMs = started.ElapsedMilliseconds,
            AttemptLog = attempts,
        };
    }

    /// <summary>Cuts redacted text to the byte limit; truncated when the process wrote more than the limit.</summary>
    (string Text, bool Truncated) Bound(string redacted, long totalBytes)
    {
        int max = _options.MaxOutputBytes;
        if (totalBytes <= max && Encoding.UTF8.GetByteCount(redacted) <= max)
        {
            return (redacted, false);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(redacted);
        int cut = Math.Min(max, bytes.Length);
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // never split a UTF-8 sequence
        }

        return (Encoding.UTF8.GetString(bytes, 0, cut), true);
    }

    static CommandResult NotStarted(string cmd, string message, Stopwatch started) => new()
    {
        Cmd = cmd,
        Rc = ProcessPipeline.NotStartedRc,
        Stderr = $"upm: {message}\n",
        Attempts = 1,
        DurationMs = started.ElapsedMilliseconds,
    };

    static bool IsRetryable(RetryPolicy retry, ProcessOutcome outcome) =>
        outcome.TimedOut ? retry.RetryOnTimeout : retry.RetryableExitCodes.Contains(outcome.Rc) || Matches(retry.RetryableStderrPatterns, outcome.Stderr);

    static bool Matches(IEnumerable<string> patterns, string text) =>
        patterns.Any(p => Regex.IsMatch(text, p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    string WithTlsFlag(ParsedCommandLine parsed)
    {
        if (parsed.Segments.Count == 1)
        {
            return parsed.Text.TrimEnd() + " " + _options.TlsFallbackFlag;
        }

        int pipe = parsed.Segments[0].End;
        return parsed.Text[..pipe].TrimEnd() + " " + _options.TlsFallbackFlag + " " + parsed.Text[pipe..];
    }

    SecretRedactor RedactorFor(CommandRequest request)
    {
        var values = new List<string>(_options.SecretValues);
        values.AddRange(request.SecretValues);
        foreach ((string name, string value) in request.Environment)
        {
            if (_options.SecretNames.Contains(name, StringComparer.OrdinalIgnoreCase) || SecretLookingName().IsMatch(name))
            {
                values.Add(value);
            }
        }

        foreach (string name in _options.SecretNames)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                values.Add(value);
            }
        }

        return new SecretRedactor(values, _options.SecretFlags);
    }

    void Log(string line) => _options.Log?.Invoke(line);

    [GeneratedRegex("TOKEN|SECRET|PASSWORD|PASSWD|CONNECTION_STRING|ACCOUNT_KEY|ACCESS_KEY|API_KEY|SAS|CREDENTIAL|PRIVATE_KEY", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretLookingName();
}
