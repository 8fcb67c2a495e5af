using System.Text.RegularExpressions;

namespace UpmDurable.Core.Execution;

/// <summary>
/// The sub-commands a command step may run, per tool, each with its allowed options. The default is read-only: the az
/// storage data-plane reads of the kinds the cli provider supports, and <c>az version</c>. Changes run only through the
/// provider's typed resources; a host may add entries by policy (<see cref="With"/>).
/// </summary>
public sealed partial class CommandCatalog
{
    /// <summary>Verbs known to destroy something.</summary>
    public static readonly IReadOnlySet<string> DestructiveVerbs = new HashSet<string>(
        ["delete", "delete-batch", "purge", "remove", "rm", "drop", "revoke", "destroy", "clear", "reset", "uninstall", "wipe",
         "truncate", "erase", "evict", "drain", "deallocate", "kill", "cordon", "taint", "prune", "undelete-purge", "regenerate-key", "renew"],
        StringComparer.Ordinal);

    /// <summary>Verbs known to only read. A verb in neither list counts as mutating.</summary>
    public static readonly IReadOnlySet<string> ReadOnlyVerbs = new HashSet<string>(
        ["list", "show", "exists", "get", "describe", "version", "logs", "explain", "api-resources", "api-versions", "cluster-info", "top", "wait"],
        StringComparer.Ordinal);

    // Verbs that are neither read-only nor destructive but mark where a kubectl-style command's verb is (first word).
    static readonly HashSet<string> MutatingVerbs = new(
        ["create", "update", "set", "add", "apply", "patch", "replace", "label", "annotate", "scale", "edit", "run", "exec", "expose",
         "rollout", "autoscale", "upload", "upload-batch", "download", "download-batch", "copy", "generate-sas", "login", "logout",
         "start", "stop", "restart", "install", "upgrade", "import", "invoke", "rest", "lease", "keys", "policy"],
        StringComparer.Ordinal);

    static readonly string[] Outputs = ["json", "jsonc", "tsv", "table", "yaml", "none"];

    readonly List<CatalogEntry> _entries;

    /// <summary>A catalog of exactly <paramref name="entries"/>.</summary>
    public CommandCatalog(IEnumerable<CatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        foreach (CatalogEntry e in _entries)
        {
            if (string.IsNullOrWhiteSpace(e.Tool) || e.Options is null)
            {
                throw new ArgumentException("a catalog entry needs a tool and options", nameof(entries));
            }
        }
    }

    /// <summary>The read-only default (see the class summary and docs/security-commands.md).</summary>
    public static CommandCatalog Default { get; } = new(DefaultEntries());

    public IReadOnlyList<CatalogEntry> Entries => _entries;

    /// <summary>This catalog plus <paramref name="extra"/> entries allowed by policy (e.g. a host option).</summary>
    public CommandCatalog With(IEnumerable<CatalogEntry> extra) => new(_entries.Concat(extra));

    static IEnumerable<CatalogEntry> DefaultEntries()
    {
        CatalogOption[] common =
        [
            new("--output", "-o", CatalogValue.Choice, Outputs), new("--query", null, CatalogValue.Text), new("--only-show-errors"),
        ];
        CatalogOption[] named = [.. common, new("--name", "-n", CatalogValue.Name), new("--timeout", null, CatalogValue.Integer)];
        CatalogOption[] listed = [.. common, new("--prefix", null, CatalogValue.Name), new("--num-results", null, CatalogValue.Integer), new("--include-metadata"), new("--timeout", null, CatalogValue.Integer)];
        yield return new("az", "version", common);
        yield return new("az", "storage container list", listed);
        yield return new("az", "storage container show", named);
        yield return new("az", "storage container exists", named);
        yield return new("az", "storage container metadata show", named);
        yield return new("az", "storage queue list", listed);
        yield return new("az", "storage queue exists", named);
        yield return new("az", "storage queue metadata show", named);
        yield return new("az", "storage table list", [.. common, new("--num-results", null, CatalogValue.Integer), new("--timeout", null, CatalogValue.Integer)]);
        yield return new("az", "storage table exists", named);
    }

    /// <summary>The catalog commands of <paramref name="tool"/>, or every catalog command when it has none.</summary>
    public IReadOnlyList<string> Allowed(string tool)
    {
        var own = _entries.Where(e => e.Tool == tool).Select(e => e.ToString()).ToList();
        return own.Count > 0 ? own : _entries.Select(e => e.ToString()).ToList();
    }

    /// <summary>Checks the first stage of a parsed command step against the catalog; throws a <see cref="CommandRefusedException"/> subtype.</summary>
    public CatalogEntry Check(CommandSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        IReadOnlyList<string> argv = segment.Argv;
        string tool = segment.Program;
        int words = 1;
        while (words < argv.Count && !argv[words].StartsWith('-'))
        {
            words++;
        }

        // The longest catalog sub-command that the leading words start with; leftover words are refused as operands.
        CatalogEntry? entry = _entries
            .Where(e => e.Tool == tool && e.Words.Count <= words - 1 && e.Words.Select((w, i) => argv[i + 1] == w).All(x => x))
            .MaxBy(e => e.Words.Count);
        if (entry is null)
        {
            string written = string.Join(' ', argv.Skip(1).Take(words - 1));
            throw new SubCommandRefusedException(
                Clip(SecretRedactor.Default.Redact(tool)), Clip(SecretRedactor.Default.Redact(written)), segment.Position, Allowed(tool));
        }

        var rules = new ArgvRules(entry.Options.Select(Rule)) { RefuseAtValues = true };
        ArgvParse parse = rules.Parse(segment, 1, 1 + entry.Words.Count);
        if (parse.Operands.Count > 0)
        {
            int token = parse.Operands[0];
            throw ArgvRules.Refuse(segment, 1, token, 0, argv[token], $"'{entry}' takes no operands; name things with options (allowed: {string.Join(' ', entry.Options.Select(o => o.Name))})");
        }

        return entry;
    }

    static OptionRule Rule(CatalogOption o)
    {
        static bool IsShort(string? s) => s is { Length: 2 } && s[0] == '-' && s[1] != '-';
        char? letter = IsShort(o.Name) ? o.Name[1] : IsShort(o.Alias) ? o.Alias![1] : null;
        string? longName = IsShort(o.Name) ? null : o.Name.TrimStart('-');
        Func<IReadOnlyList<string>, string?>? check = o.Value switch
        {
            CatalogValue.None => null,
            CatalogValue.Integer => ArgvRules.Count,
            CatalogValue.Name => ArgvRules.Matches(@"^[A-Za-z0-9$][A-Za-z0-9._$-]{0,254}\z", "a name of letters, digits, . _ - $"),
            CatalogValue.Choice => ArgvRules.OneOf([.. o.Choices ?? []]),
            _ => ArgvRules.NotEmpty,
        };
        return new OptionRule(longName, letter, o.Value == CatalogValue.None ? 0 : 1, check);
    }

    static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "...";

    /// <summary>
    /// The effect of a command from its verb. The verb is the first leading word that is a known verb (kubectl style:
    /// <c>kubectl delete ns x</c>), else the last leading word (az style: <c>az storage container delete</c>). Destructive
    /// when the verb is in <see cref="DestructiveVerbs"/>; mutating unless it is in <see cref="ReadOnlyVerbs"/>.
    /// </summary>
    public static CommandEffect Classify(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0)
        {
            return new CommandEffect("", "", false, true);
        }

        var leading = argv.Skip(1).TakeWhile(w => !w.StartsWith('-')).ToList();
        string verb = leading.FirstOrDefault(w => DestructiveVerbs.Contains(w) || ReadOnlyVerbs.Contains(w) || MutatingVerbs.Contains(w))
            ?? leading.LastOrDefault() ?? "";
        bool destructive = DestructiveVerbs.Contains(verb);
        return new CommandEffect(argv[0], verb, destructive, destructive || !ReadOnlyVerbs.Contains(verb));
    }

    /// <summary>Whether a command line destroys something (its first stage's verb; pipe stages only read). Text that cannot be parsed falls back to a destructive-word match.</summary>
    public static bool IsDestructive(string commandLine)
    {
        if (string.IsNullOrWhiteSpace(commandLine))
        {
            return false;
        }

        try
        {
            return Classify(CommandLineParser.Parse(commandLine).Segments[0].Argv).Destructive;
        }
        catch (CommandRefusedException)
        {
            // Only reachable for text that never passed the guard; count it rather than hide it.
            return DeleteWord().IsMatch(commandLine);
        }
    }

    [GeneratedRegex(@"(^|\s)(delete|purge|remove|rm|drop|destroy)(\s|$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DeleteWord();
}
