using System.Text;

namespace UpmDurable.Core.Execution;

/// <summary>How shell metas inside quotes are treated. Newlines are refused everywhere in both modes.</summary>
public enum QuotedMetaPolicy
{
    /// <summary>
    /// Metas are literal text inside single quotes and refused everywhere else (double quotes included).
    /// Safe because the runner never uses a shell, and single-quoted text is inert in a POSIX shell too (no expansion,
    /// no escapes), so even a copy of the recorded <c>cmd</c> pasted into a shell stays literal. Double quotes get no
    /// exemption because <c>$(</c>, backticks and <c>\</c> are live inside them in a shell. Needed for jq filters and
    /// printf formats (<c>jq '.[] | select(.n &gt; 1)'</c>, <c>printf 'a\n'</c>).
    /// </summary>
    AllowInSingleQuotes,

    /// <summary>Metas are refused everywhere, quoted or not.</summary>
    RefuseEverywhere,
}

/// <summary>One command of a pipeline: its argv (program first) and where it starts and ends in the command text.</summary>
public sealed record CommandSegment(IReadOnlyList<string> Argv, int Position, int End)
{
    public string Program => Argv[0];

    /// <summary>0-based position in the command text where each argv token starts (its opening quote when quoted); same length as <see cref="Argv"/>.</summary>
    public IReadOnlyList<int> TokenPositions { get; init; } = [];

    /// <summary>Per token, the command-text position of each of its characters (quotes removed), so a refusal can point inside a quoted token.</summary>
    public IReadOnlyList<IReadOnlyList<int>> TokenCharPositions { get; init; } = [];

    /// <summary>Position in the command text of character <paramref name="offset"/> of argv token <paramref name="index"/>; the token start when unknown.</summary>
    public int PositionOf(int index, int offset = 0)
    {
        if (index < TokenCharPositions.Count && offset >= 0 && offset < TokenCharPositions[index].Count)
        {
            return TokenCharPositions[index][offset];
        }

        return index < TokenPositions.Count ? TokenPositions[index] : Position;
    }
}

/// <summary>A parsed command line: one segment, or several joined by pipes.</summary>
public sealed record ParsedCommandLine(string Text, IReadOnlyList<CommandSegment> Segments);

/// <summary>
/// Parses a command line into argv per pipeline segment, with single and double quotes and no expansion of any kind
/// (no variables, globs, tildes, escapes); refuses shell metas with their 0-based position.
/// </summary>
public static class CommandLineParser
{
    /// <summary>Parses <paramref name="text"/>; throws a <see cref="CommandRefusedException"/> subtype when refused.</summary>
    public static ParsedCommandLine Parse(string text, QuotedMetaPolicy policy = QuotedMetaPolicy.AllowInSingleQuotes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<CommandSegment>();
        var argv = new List<string>();
        var starts = new List<int>();
        var charMaps = new List<IReadOnlyList<int>>();
        var currentMap = new List<int>();
        int tokenStart = -1;
        var current = new StringBuilder();
        bool inToken = false;
        int segmentStart = -1;
        int i = 0;

        void EndToken()
        {
            if (inToken)
            {
                argv.Add(current.ToString());
                starts.Add(tokenStart);
                charMaps.Add([.. currentMap]);
                current.Clear();
                currentMap.Clear();
                inToken = false;
            }
        }

        void StartToken(int at)
        {
            if (!inToken && argv.Count == 0 && segmentStart < 0)
            {
                segmentStart = at;
            }

            if (!inToken)
            {
                tokenStart = at;
            }

            inToken = true;
        }

        void EndSegment(int at)
        {
            EndToken();
            if (argv.Count == 0)
            {
                throw new CommandSyntaxException(segments.Count == 0 && at >= text.Length ? "empty command" : "empty pipeline segment", at);
            }

            segments.Add(new CommandSegment([.. argv], segmentStart, at) { TokenPositions = [.. starts], TokenCharPositions = [.. charMaps] });
            argv.Clear();
            starts.Clear();
            charMaps.Clear();
            segmentStart = -1;
        }

        while (i < text.Length)
        {
            char c = text[i];
            if (c is '\n' or '\r')
            {
                throw new ShellMetaRefusedException(c.ToString(), i);
            }

            if (c is '\'' or '"')
            {
                StartToken(i);
                int open = i;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new CommandSyntaxException($"unclosed {(c == '\'' ? "single" : "double")} quote", open);
                    }

                    char q = text[i];
                    if (q == c)
                    {
                        i++;
                        break;
                    }

                    if (q is '\n' or '\r')
                    {
                        throw new ShellMetaRefusedException(q.ToString(), i);
                    }

                    if (c == '"' || policy == QuotedMetaPolicy.RefuseEverywhere)
                    {
                        string? quotedMeta = MetaAt(text, i);
                        if (quotedMeta is not null)
                        {
                            throw new ShellMetaRefusedException(quotedMeta, i);
                        }
                    }

                    current.Append(q);
                    currentMap.Add(i);
                    i++;
                }

                continue;
            }

            string? meta = MetaAt(text, i);
            if (meta is not null)
            {
                throw new ShellMetaRefusedException(meta, i);
            }

            if (c == '|')
            {
                EndSegment(i);
                i++;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                EndToken();
                i++;
                continue;
            }

            StartToken(i);
            current.Append(c);
            currentMap.Add(i);
            i++;
        }

        EndSegment(text.Length);
        return new ParsedCommandLine(text, segments);
    }

    /// <summary>The meta starting at <paramref name="i"/>, longest first; a lone <c>|</c> is a pipe, not a meta.</summary>
    static string? MetaAt(string text, int i)
    {
        char c = text[i];
        char next = i + 1 < text.Length ? text[i + 1] : '\0';
        return c switch
        {
            '&' when next == '&' => "&&",
            '&' => "&",
            '|' when next == '|' => "||",
            '|' when next == '&' => "|&",
            '>' when next == '>' => ">>",
            '>' => ">",
            '<' => "<",
            '$' when next == '(' => "$(",
            ';' => ";",
            '\\' => "\\",
            '`' => "`",
            _ => null,
        };
    }
}
