namespace UpmDurable.Core.Execution;

/// <summary>A command the guarded runner refused before starting anything. <see cref="Reason"/> is a stable code for records and APIs.</summary>
public abstract class CommandRefusedException : Exception
{
    protected CommandRefusedException(string reason, string message)
        : base(message) => Reason = reason;

    /// <summary><c>meta_blocked</c>, <c>pipe_refused</c>, <c>tool_not_in_manifest</c> or <c>syntax</c>.</summary>
    public string Reason { get; }
}

/// <summary>The command contains a shell meta (<c>; &amp;&amp; || \ $( ` &lt; &gt; &gt;&gt;</c>, newline, <c>&amp;</c>, <c>|&amp;</c>).</summary>
public sealed class ShellMetaRefusedException : CommandRefusedException
{
    public ShellMetaRefusedException(string meta, int position)
        : base("meta_blocked", $"shell meta '{Describe(meta)}' at position {position} is not allowed: the runner executes without a shell")
    {
        Meta = meta;
        Position = position;
    }

    /// <summary>The meta as written (<c>"\n"</c> for a newline).</summary>
    public string Meta { get; }

    /// <summary>0-based character position of the meta in the command text.</summary>
    public int Position { get; }

    static string Describe(string meta) => meta switch
    {
        "\n" => "newline",
        "\r" => "carriage return",
        _ => meta,
    };
}

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

/// <summary>The command's program is not a tool of the manifest (only pinned tools run).</summary>
public sealed class ToolNotInManifestException : CommandRefusedException
{
    public ToolNotInManifestException(string tool)
        : base("tool_not_in_manifest", $"tool '{tool}' is not in the tool manifest; only version-pinned tools may run")
        => Tool = tool;

    public string Tool { get; }
}

/// <summary>The command text cannot be parsed (empty, unclosed quote, empty pipe segment, missing pipe program).</summary>
public sealed class CommandSyntaxException : CommandRefusedException
{
    public CommandSyntaxException(string problem, int position)
        : base("syntax", $"{problem} at position {position}")
        => Position = position;

    public int Position { get; }
}
