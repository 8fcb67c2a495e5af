namespace UpmDurable.Core.Execution;

/// <summary>The tool of a command step is not run with a sub-command of the command catalog.</summary>
public sealed class SubCommandRefusedException : CommandRefusedException
{
    public SubCommandRefusedException(string tool, string subCommand, int position, IReadOnlyList<string> allowed)
        : base("subcommand_refused", $"'{(subCommand.Length == 0 ? tool : tool + " " + subCommand)}' at position {position} is not in the command catalog; command steps run read-only catalog commands, changes run through typed resources; allowed: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}")
    {
        Tool = tool;
        SubCommand = subCommand;
        Position = position;
        Allowed = allowed;
    }

    public string Tool { get; }

    /// <summary>The sub-command words as written (redacted, clipped); empty when there are none.</summary>
    public string SubCommand { get; }

    /// <summary>0-based character position of the tool name in the command text.</summary>
    public int Position { get; }

    /// <summary>The catalog commands allowed (for this tool, or every catalog command when the tool has none).</summary>
    public IReadOnlyList<string> Allowed { get; }
}
