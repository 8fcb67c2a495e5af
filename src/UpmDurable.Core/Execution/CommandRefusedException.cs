namespace UpmDurable.Core.Execution;

/// <summary>A command the guarded runner refused before starting anything. <see cref="Reason"/> is a stable code for records and APIs.</summary>
public abstract class CommandRefusedException : Exception
{
    protected CommandRefusedException(string reason, string message)
        : base(message) => Reason = reason;

    /// <summary><c>meta_blocked</c>, <c>pipe_refused</c>, <c>tool_not_in_manifest</c>, <c>syntax</c>, <c>argument_refused</c>, <c>subcommand_refused</c> or <c>secret_in_command</c>.</summary>
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

/// <summary>The command text carries a secret (a credential flag, connection-string key, SAS signature, bearer token, JWT, private key).</summary>
public sealed class SecretInCommandException : CommandRefusedException
{
    public SecretInCommandException(string kind, int position)
        : base("secret_in_command", $"a secret ({kind}) at position {position} must not be written into a command: commands are stored, logged and shown; name it as secretref:NAME in the step's properties for the provider to resolve (the cli provider authenticates itself)")
    {
        Kind = kind;
        Position = position;
    }

    /// <summary>What was recognised (e.g. <c>--account-key</c>, <c>AccountKey=</c>, <c>JWT</c>); never the value.</summary>
    public string Kind { get; }

    /// <summary>0-based character position where the secret (or its flag) starts.</summary>
    public int Position { get; }
}
