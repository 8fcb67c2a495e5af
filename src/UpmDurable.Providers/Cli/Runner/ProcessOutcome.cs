namespace UpmDurable.Providers.Cli.Runner;

/// <summary>Raw (unredacted) outcome of one run of a pipeline. Output is kept up to the capture cap; byte counts are totals.</summary>
internal sealed record ProcessOutcome(
    int Rc,
    string Stdout,
    long StdoutBytes,
    string Stderr,
    long StderrBytes,
    bool TimedOut,
    IReadOnlyList<int> StageExitCodes);
