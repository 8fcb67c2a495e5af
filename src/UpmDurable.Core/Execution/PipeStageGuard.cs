using System.Text.Json;

namespace UpmDurable.Core.Execution;

/// <summary>
/// The argument allow-list of every program allowed after a pipe. A stage reads standard input only: no file operand
/// (not even <c>-</c>), and no option that reads or writes a file, runs a program or dumps the environment — such
/// options are simply not listed. See docs/security-commands.md for the lists and the manual references.
/// </summary>
public static class PipeStageGuard
{
    // The value checks, from the manuals: counts are decimal numbers (no size suffixes), head/tail counts may be signed
    // as GNU head (-n -NUM: all but the last) and tail (-n +NUM: from line NUM) document.
    static readonly Func<IReadOnlyList<string>, string?> HeadCount = ArgvRules.Matches(@"^-?[0-9]{1,18}\z", "a number, optionally -NUM");
    static readonly Func<IReadOnlyList<string>, string?> TailCount = ArgvRules.Matches(@"^[+-]?[0-9]{1,18}\z", "a number, optionally +NUM or -NUM");
    static readonly Func<IReadOnlyList<string>, string?> CutList = ArgvRules.Matches(@"^(?:[0-9]{1,9}(?:-[0-9]{0,9})?|-[0-9]{1,9})(?:,(?:[0-9]{1,9}(?:-[0-9]{0,9})?|-[0-9]{1,9}))*\z", "a LIST such as 1,3-5");
    static readonly Func<IReadOnlyList<string>, string?> KeyDef = ArgvRules.Matches(@"^[0-9]{1,9}(?:\.[0-9]{1,9})?[bdfgiMhnrV]*(?:,[0-9]{1,9}(?:\.[0-9]{1,9})?[bdfgiMhnrV]*)?\z", "a KEYDEF such as 2,2n");

    static OptionRule Flag(char? s, string? l) => new(l, s);

    static OptionRule Value(char? s, string? l, Func<IReadOnlyList<string>, string?>? check) => new(l, s, 1, check);

    static readonly Dictionary<string, ArgvRules> Rules = new(StringComparer.Ordinal)
    {
        // grep: no -f/--file, -r/-R, -d/-D, --include/--exclude*, -l/-L, -P (backtracking); -NUM context is not listed.
        ["grep"] = new ArgvRules(
            [
                Flag('i', "ignore-case"), Flag(null, "no-ignore-case"), Flag('v', "invert-match"), Flag('c', "count"),
                Flag('n', "line-number"), Flag('o', "only-matching"), Flag('E', "extended-regexp"), Flag('F', "fixed-strings"),
                Flag('G', "basic-regexp"), Flag('w', "word-regexp"), Flag('x', "line-regexp"), Flag('q', "quiet"), Flag(null, "silent"),
                Flag('s', "no-messages"),
                Value('m', "max-count", ArgvRules.Count), Value('A', "after-context", ArgvRules.Count),
                Value('B', "before-context", ArgvRules.Count), Value('C', "context", ArgvRules.Count),
                Value('e', "regexp", null), new OptionRule("color", null, 1, ArgvRules.OneOf("never"), InlineOnly: true),
            ],
            doubleDash: true),

        // jq 1.6: no -f/--from-file, -L, --rawfile, --slurpfile, -R, --args/--jsonargs, --run-tests; -n is fine because
        // the filter may not use input/inputs anyway.
        ["jq"] = new ArgvRules(
            [
                Flag('r', "raw-output"), Flag('j', "join-output"), Flag('a', "ascii-output"), Flag('c', "compact-output"),
                Flag('s', "slurp"), Flag('S', "sort-keys"), Flag('M', "monochrome-output"), Flag('e', "exit-status"),
                Flag('n', "null-input"), Flag(null, "tab"), Flag(null, "seq"),
                Value(null, "indent", ArgvRules.Matches(@"^[0-7]\z", "0 to 7")),
                new OptionRule("arg", null, 2, v => JqFilterGuard.IsBindableName(v[0]) ? null : "expected a variable NAME"),
                new OptionRule("argjson", null, 2, v => !JqFilterGuard.IsBindableName(v[0]) ? "expected a variable NAME" : IsJson(v[1]) ? null : "expected JSON text"),
            ]),

        // wc: no --files0-from, no operands.
        ["wc"] = new ArgvRules([Flag('l', "lines"), Flag('w', "words"), Flag('c', "bytes"), Flag('m', "chars"), Flag('L', "max-line-length")]),

        ["head"] = new ArgvRules(
            [Value('n', "lines", HeadCount), Value('c', "bytes", HeadCount), Flag('q', "quiet"), Flag(null, "silent")],
            obsoleteCount: true),

        // tail: no -f/-F/--follow/--retry/--pid/-s (follow mode waits for a file forever).
        ["tail"] = new ArgvRules(
            [Value('n', "lines", TailCount), Value('c', "bytes", TailCount), Flag('q', "quiet"), Flag(null, "silent")],
            obsoleteCount: true),

        ["cut"] = new ArgvRules(
            [
                Value('d', "delimiter", ArgvRules.OneChar), Value('f', "fields", CutList), Value('c', "characters", CutList),
                Value('b', "bytes", CutList), Flag('s', "only-delimited"), Flag(null, "complement"),
                Value(null, "output-delimiter", null),
            ]),

        // sort: no -o/--output, -T, --compress-program, --files0-from, --random-source, -m, -S, --parallel, -c/-C.
        ["sort"] = new ArgvRules(
            [
                Flag('r', "reverse"), Flag('n', "numeric-sort"), Flag('u', "unique"), Flag('f', "ignore-case"),
                Flag('b', "ignore-leading-blanks"), Flag('h', "human-numeric-sort"), Flag('V', "version-sort"),
                Flag('g', "general-numeric-sort"), Flag('M', "month-sort"), Flag('s', "stable"), Flag('d', "dictionary-order"),
                Flag('i', "ignore-nonprinting"),
                Value('k', "key", KeyDef), Value('t', "field-separator", ArgvRules.OneChar),
            ]),

        // uniq: no -D/--all-repeated/--group (optional values), no INPUT/OUTPUT operands (OUTPUT is written).
        ["uniq"] = new ArgvRules(
            [
                Flag('c', "count"), Flag('d', "repeated"), Flag('u', "unique"), Flag('i', "ignore-case"),
                Value('f', "skip-fields", ArgvRules.Count), Value('s', "skip-chars", ArgvRules.Count), Value('w', "check-chars", ArgvRules.Count),
            ]),
    };

    /// <summary>The programs that have an argument allow-list; any other allowed pipe program may run with no arguments only.</summary>
    public static IReadOnlyCollection<string> Programs => Rules.Keys;

    /// <summary>Checks the arguments of pipeline stage <paramref name="stage"/> (1-based); throws <see cref="ArgumentRefusedException"/>.</summary>
    public static void Check(CommandSegment segment, int stage)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!Rules.TryGetValue(segment.Program, out ArgvRules? rules))
        {
            if (segment.Argv.Count > 1)
            {
                throw ArgvRules.Refuse(segment, stage, 1, 0, segment.Argv[1], $"{segment.Program} has no argument allow-list, so it runs without arguments");
            }

            return;
        }

        ArgvParse parse = rules.Parse(segment, stage, 1);
        switch (segment.Program)
        {
            case "grep":
                // The pattern is the one operand unless -e gives it; any further operand would be a FILE.
                bool patternByOption = parse.Options.Any(o => o.Rule.Short == 'e');
                int allowed = patternByOption ? 0 : 1;
                if (!patternByOption && parse.Operands.Count == 0)
                {
                    throw ArgvRules.Refuse(segment, stage, 0, 0, segment.Program, "a PATTERN is required (grep would otherwise take no pattern)");
                }

                RefuseOperandsAfter(segment, stage, parse, allowed, "a FILE operand; a stage reads standard input only");
                break;
            case "jq":
                if (parse.Operands.Count == 0)
                {
                    throw ArgvRules.Refuse(segment, stage, 0, 0, segment.Program, "a FILTER is required");
                }

                RefuseOperandsAfter(segment, stage, parse, 1, "a FILE operand; a stage reads standard input only");
                int filter = parse.Operands[0];
                var names = parse.Options.Where(o => o.Rule.Values == 2).Select(o => o.Values[0]).ToHashSet(StringComparer.Ordinal);
                if (JqFilterGuard.Check(segment.Argv[filter], names) is { } refusal)
                {
                    throw ArgvRules.Refuse(segment, stage, filter, refusal.Offset, refusal.Word, refusal.Why);
                }

                break;
            default:
                RefuseOperandsAfter(segment, stage, parse, 0, "a FILE operand; a stage reads standard input only");
                break;
        }
    }

    static void RefuseOperandsAfter(CommandSegment segment, int stage, ArgvParse parse, int allowed, string why)
    {
        if (parse.Operands.Count > allowed)
        {
            int token = parse.Operands[allowed];
            throw ArgvRules.Refuse(segment, stage, token, 0, segment.Argv[token], why);
        }
    }

    static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
