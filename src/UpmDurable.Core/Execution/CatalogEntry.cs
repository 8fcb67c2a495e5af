namespace UpmDurable.Core.Execution;

/// <summary>One permitted command: a tool, its sub-command words (<c>storage container list</c>) and the options it takes; never operands.</summary>
public sealed record CatalogEntry(string Tool, string SubCommand, IReadOnlyList<CatalogOption> Options)
{
    /// <summary>The sub-command words.</summary>
    public IReadOnlyList<string> Words { get; } = SubCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => Words.Count == 0 ? Tool : $"{Tool} {SubCommand}";
}
