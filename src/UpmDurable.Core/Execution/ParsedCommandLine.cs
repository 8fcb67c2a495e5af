namespace UpmDurable.Core.Execution;

/// <summary>A parsed command line: one segment, or several joined by pipes.</summary>
public sealed record ParsedCommandLine(string Text, IReadOnlyList<CommandSegment> Segments);
