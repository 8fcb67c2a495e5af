namespace UpmDurable.Providers.Cli.Runner;

/// <summary>One attempt of a command. <see cref="RetryReason"/> says why another attempt followed (null for the last).</summary>
public sealed record CommandAttempt(
    int Number,
    string Cmd,
    int Rc,
    bool TimedOut,
    bool TlsFallback,
    long DelayBeforeMs,
    long DurationMs,
    string? RetryReason);
