using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Cli.Runner;

/// <summary>What the guarded runner did for one command, in the spec's step shape; every text is redacted and bounded.</summary>
public sealed record CommandResult
{
    /// <summary>The command of the last attempt, redacted (with the TLS flag when the fallback ran).</summary>
    public required string Cmd { get; init; }

    /// <summary>Exit code: pipefail over the stages; 124 on timeout; 127 when a program cannot be started.</summary>
    public required int Rc { get; init; }

    public string Stdout { get; init; } = "";

    public bool StdoutTruncated { get; init; }

    public string Stderr { get; init; } = "";

    /// <summary>Stderr was cut at the size limit (the spec's <c>stderr_trunc</c>).</summary>
    public bool StderrTrunc { get; init; }

    /// <summary>How many times the command ran (retries and the TLS fallback included).</summary>
    public int Attempts { get; init; } = 1;

    public bool TlsFallbackUsed { get; init; }

    /// <summary>The last attempt was killed by the timeout.</summary>
    public bool TimedOut { get; init; }

    public long DurationMs { get; init; }

    /// <summary>Each attempt: its command, exit code and why it was retried.</summary>
    public List<CommandAttempt> AttemptLog { get; init; } = [];

    public bool Succeeded => Rc == 0 && !TimedOut;

    /// <summary>The step record the change record stores.</summary>
    public StepRecord ToStepRecord(string stepId, int wave, string outcome, DateTimeOffset startedAt, DateTimeOffset finishedAt) => new()
    {
        StepId = stepId,
        Wave = wave,
        Cmd = Cmd,
        Rc = Rc,
        Stdout = Stdout,
        Stderr = Stderr,
        StderrTrunc = StderrTrunc,
        Outcome = outcome,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
    };
}
