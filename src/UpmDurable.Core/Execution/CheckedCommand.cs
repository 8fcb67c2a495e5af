namespace UpmDurable.Core.Execution;

/// <summary>A command step that passed every check: the parsed line, its catalog entry and its effect.</summary>
public sealed record CheckedCommand(ParsedCommandLine Parsed, string Tool, string SubCommand, bool Destructive, bool Mutating);
