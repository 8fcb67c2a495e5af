namespace UpmDurable.Cli;

/// <summary>The command line or an input file is wrong: exit code 2 with this message.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
