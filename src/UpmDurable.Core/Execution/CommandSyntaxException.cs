namespace UpmDurable.Core.Execution;

/// <summary>The command text cannot be parsed (empty, unclosed quote, empty pipe segment, missing pipe program).</summary>
public sealed class CommandSyntaxException : CommandRefusedException
{
    public CommandSyntaxException(string problem, int position)
        : base("syntax", $"{problem} at position {position}")
        => Position = position;

    public int Position { get; }
}
