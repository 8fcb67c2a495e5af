namespace UpmDurable.Core.Execution;

/// <summary>An option, option value or operand of one pipeline stage is not in that program's allow-list.</summary>
public sealed class ArgumentRefusedException : CommandRefusedException
{
    public ArgumentRefusedException(int stage, string program, string argument, int position, string why)
        : base("argument_refused", $"stage {stage} ({program}): '{argument}' at position {position} is not allowed: {why}")
    {
        Stage = stage;
        Program = program;
        Argument = argument;
        Position = position;
        Why = why;
    }

    /// <summary>1-based pipeline stage: 1 is the tool, 2 the first program after a pipe.</summary>
    public int Stage { get; }

    public string Program { get; }

    /// <summary>The refused option, value, operand or jq filter word, redacted and clipped.</summary>
    public string Argument { get; }

    /// <summary>0-based character position of the refused text in the command text.</summary>
    public int Position { get; }

    /// <summary>Why it is refused, without the argument.</summary>
    public string Why { get; }
}
