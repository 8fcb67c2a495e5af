namespace UpmDurable.Core.Execution;

/// <summary>A program after a pipe is not in the pipe allow-list.</summary>
public sealed class PipeProgramRefusedException : CommandRefusedException
{
    public PipeProgramRefusedException(string program, int position, IEnumerable<string> allowList)
        : base("pipe_refused", $"'{program}' at position {position} is not allowed after a pipe; allowed: {string.Join(", ", allowList)}")
    {
        Program = program;
        Position = position;
    }

    public string Program { get; }

    /// <summary>0-based character position of the program name in the command text.</summary>
    public int Position { get; }
}
