using System.Text;

namespace UpmDurable.Core.Execution;

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
