using System.Text.RegularExpressions;

namespace UpmDurable.Core.Execution;

/// <summary>
/// A getopt-like checker that accepts only exact allowed spellings: long options in full (GNU getopt would accept the
/// abbreviation <c>--compress</c> for <c>--compress-program</c>; we never do), <c>--name=value</c> or <c>--name value</c>,
/// short flags bundled only from allowed letters, a short option's value attached (<c>-n5</c>, <c>-k2,2</c>) or next.
/// Every token starting with <c>-</c> is an option wherever it stands, because GNU getopt permutes argv.
/// </summary>
internal sealed class ArgvRules
{
    readonly Dictionary<string, OptionRule> _long = new(StringComparer.Ordinal);
    readonly Dictionary<char, OptionRule> _short = [];

    public ArgvRules(IEnumerable<OptionRule> options, bool doubleDash = false, bool obsoleteCount = false)
    {
        foreach (OptionRule o in options)
        {
            if (o.Long is not null)
            {
                _long.Add(o.Long, o);
            }

            if (o.Short is { } c)
            {
                _short.Add(c, o);
            }
        }

        DoubleDash = doubleDash;
        ObsoleteCount = obsoleteCount;
    }

    /// <summary>Whether <c>--</c> (end of options) is accepted; what follows is operands.</summary>
    public bool DoubleDash { get; }

    /// <summary>Whether head/tail's obsolete <c>-NUM</c> (digits only) is accepted as a line count.</summary>
    public bool ObsoleteCount { get; }

    /// <summary>
    /// Refuses a value starting with <c>@</c> (az reads <c>@file</c> values from the file), and a value in its own token
    /// starting with <c>-</c> (Python's argparse, az's parser, reads that as an option, not as the value).
    /// </summary>
    public bool RefuseAtValues { get; init; }

    /// <summary>Checks argv tokens from <paramref name="from"/>; throws <see cref="ArgumentRefusedException"/>.</summary>
    public ArgvParse Parse(CommandSegment segment, int stage, int from)
    {
        IReadOnlyList<string> argv = segment.Argv;
        string program = segment.Program;
        var options = new List<(OptionRule, IReadOnlyList<string>, int)>();
        var operands = new List<int>();
        bool endOfOptions = false;
        for (int i = from; i < argv.Count; i++)
        {
            string token = argv[i];
            if (endOfOptions || token.Length < 2 || token[0] != '-')
            {
                if (token == "-")
                {
                    throw Refuse(segment, stage, i, 0, token, "'-' names standard input as a file operand; a stage reads standard input without operands");
                }

                operands.Add(i);
                continue;
            }

            if (token == "--")
            {
                if (!DoubleDash)
                {
                    throw Refuse(segment, stage, i, 0, token, "'--' is not accepted here");
                }

                endOfOptions = true;
                continue;
            }

            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = token.IndexOf('=', StringComparison.Ordinal);
                string name = eq < 0 ? token[2..] : token[2..eq];
                if (!_long.TryGetValue(name, out OptionRule? rule))
                {
                    throw Refuse(segment, stage, i, 0, eq < 0 ? token : token[..eq], $"not an allowed option of {program}{Allowed()}");
                }

                if (rule.Values == 0)
                {
                    if (eq >= 0)
                    {
                        throw Refuse(segment, stage, i, 0, token, "this option takes no value");
                    }

                    options.Add((rule, [], i));
                    continue;
                }

                var values = new List<string>();
                var at = new List<(int Token, int Offset)>();
                if (eq >= 0)
                {
                    values.Add(token[(eq + 1)..]);
                    at.Add((i, eq + 1));
                }

                int first = i;
                if (rule.InlineOnly && eq < 0)
                {
                    throw Refuse(segment, stage, first, 0, token, $"write its value as {token}=VALUE (a following word would be an operand to {program})");
                }

                while (values.Count < rule.Values)
                {
                    if (++i >= argv.Count)
                    {
                        throw Refuse(segment, stage, first, 0, token, $"needs {rule.Values} value(s)");
                    }

                    values.Add(argv[i]);
                    at.Add((i, 0));
                }

                CheckValues(segment, stage, rule, values, at, token);
                options.Add((rule, values, first));
                continue;
            }

            if (ObsoleteCount && token.Skip(1).All(char.IsAsciiDigit) && token.Length <= 19)
            {
                options.Add((new OptionRule(null, 'n', 1), [token[1..]], i));
                continue;
            }

            for (int j = 1; j < token.Length; j++)
            {
                if (!_short.TryGetValue(token[j], out OptionRule? rule))
                {
                    // Point at the dash for the first letter (the text "-X" starts there), at the letter inside a bundle.
                    throw Refuse(segment, stage, i, j == 1 ? 0 : j, "-" + token[j], $"not an allowed option of {program}{Allowed()}");
                }

                if (rule.Values == 0)
                {
                    options.Add((rule, [], i));
                    continue;
                }

                var values = new List<string>();
                var at = new List<(int Token, int Offset)>();
                if (j + 1 < token.Length)
                {
                    values.Add(token[(j + 1)..]);
                    at.Add((i, j + 1));
                }

                int first = i;
                while (values.Count < rule.Values)
                {
                    if (++i >= argv.Count)
                    {
                        throw Refuse(segment, stage, first, j, "-" + token[j], $"needs {rule.Values} value(s)");
                    }

                    values.Add(argv[i]);
                    at.Add((i, 0));
                }

                CheckValues(segment, stage, rule, values, at, "-" + token[j]);
                options.Add((rule, values, first));
                break;
            }
        }

        return new ArgvParse(options, operands);
    }

    void CheckValues(CommandSegment segment, int stage, OptionRule rule, List<string> values, List<(int Token, int Offset)> at, string option)
    {
        for (int v = 0; v < values.Count; v++)
        {
            if (RefuseAtValues && values[v].StartsWith('@'))
            {
                throw Refuse(segment, stage, at[v].Token, at[v].Offset, values[v], $"a value of {option} starting with '@' makes {segment.Program} read that file");
            }

            if (RefuseAtValues && at[v].Offset == 0 && values[v].StartsWith('-'))
            {
                throw Refuse(segment, stage, at[v].Token, 0, values[v], $"{segment.Program} would read it as an option, not as the value of {option}; write {option}=VALUE");
            }
        }

        if (rule.Check?.Invoke(values) is { } why)
        {
            throw Refuse(segment, stage, at[0].Token, at[0].Offset, values[0], $"bad value of {option}: {why}");
        }
    }

    string Allowed()
    {
        var spellings = _short.Keys.Order().Select(c => "-" + c).Concat(_long.Keys.Order(StringComparer.Ordinal).Select(l => "--" + l)).ToList();
        return spellings.Count == 0 ? " (it takes no options)" : $" (allowed: {string.Join(' ', spellings)})";
    }

    /// <summary>A refusal of text inside token <paramref name="token"/> at character <paramref name="offset"/>, redacted and clipped.</summary>
    public static ArgumentRefusedException Refuse(CommandSegment segment, int stage, int token, int offset, string text, string why) =>
        new(stage, segment.Program, Clip(SecretRedactor.Default.Redact(text)), segment.PositionOf(token, offset), why);

    static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";

    // Value checks shared by the programs; each returns why a value is refused or null.
    public static Func<IReadOnlyList<string>, string?> Matches(string pattern, string what)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return v => regex.IsMatch(v[0]) ? null : $"expected {what}";
    }

    public static readonly Func<IReadOnlyList<string>, string?> Count = Matches(@"^[0-9]{1,9}\z", "a number");

    public static readonly Func<IReadOnlyList<string>, string?> OneChar = v => v[0].Length == 1 ? null : "expected a single character";

    public static readonly Func<IReadOnlyList<string>, string?> NotEmpty = v => v[0].Length > 0 ? null : "expected a non-empty value";

    public static Func<IReadOnlyList<string>, string?> OneOf(params string[] choices) =>
        v => choices.Contains(v[0], StringComparer.Ordinal) ? null : $"expected one of {string.Join('|', choices)}";
}
