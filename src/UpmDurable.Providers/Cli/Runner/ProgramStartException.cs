namespace UpmDurable.Providers.Cli.Runner;

/// <summary>A stage could not be started (no such file, not executable).</summary>
internal sealed class ProgramStartException(string program, Exception inner)
    : Exception($"cannot start '{program}': {inner.Message}", inner)
{
    public string Program { get; } = program;
}
