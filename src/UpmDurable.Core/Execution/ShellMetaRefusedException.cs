namespace UpmDurable.Core.Execution;

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
