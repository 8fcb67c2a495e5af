using System.Text.RegularExpressions;

namespace UpmDurable.Core.Execution;

/// <summary>The guard-rails that need no tool manifest: shell-meta blocking, the pipe allow-list and each pipe stage's
/// argument allow-list. Used when a plan is compiled (so a bad command never reaches execution) and again by
/// the cli provider's CommandRunner before anything runs; <see cref="CheckCommandStep"/> adds the checks of a user's command step.</summary>
public static partial class CommandGuard
{
    /// <summary>Parses and checks a command line; throws a <see cref="CommandRefusedException"/> subtype when refused.</summary>
    public static ParsedCommandLine Check(string commandLine, IReadOnlyCollection<string> pipeAllowList, QuotedMetaPolicy policy = QuotedMetaPolicy.AllowInSingleQuotes)
    {
        ParsedCommandLine parsed = CommandLineParser.Parse(commandLine, policy);
        for (int i = 1; i < parsed.Segments.Count; i++)
        {
            CommandSegment segment = parsed.Segments[i];
            if (!pipeAllowList.Contains(segment.Program, StringComparer.Ordinal))
            {
                throw new PipeProgramRefusedException(SecretRedactor.Default.Redact(segment.Program), segment.Position, pipeAllowList);
            }
        }

        // Names first, then arguments: a refused program is reported as such even when its arguments are bad too.
        for (int i = 1; i < parsed.Segments.Count; i++)
        {
            PipeStageGuard.Check(parsed.Segments[i], i + 1);
        }

        return parsed;
    }

    /// <summary>
    /// Checks a user's command-step line (command, read_back or rollback): no secret in the text (checked first, on the raw
    /// text), then <see cref="Check"/>, then the first stage must be a <paramref name="catalog"/> sub-command with its
    /// allowed options only. Throws a <see cref="CommandRefusedException"/> subtype when refused.
    /// </summary>
    public static CheckedCommand CheckCommandStep(string commandLine, CommandCatalog catalog, IReadOnlyCollection<string>? pipeAllowList = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(catalog);
        RefuseSecrets(commandLine);
        ParsedCommandLine parsed = Check(commandLine, pipeAllowList ?? Model.Canonicals.DefaultPipeAllowList);
        CatalogEntry entry = catalog.Check(parsed.Segments[0]);
        CommandEffect effect = CommandCatalog.Classify(parsed.Segments[0].Argv);
        return new CheckedCommand(parsed, entry.Tool, entry.SubCommand, effect.Destructive, effect.Mutating);
    }

    /// <summary>Throws <see cref="SecretInCommandException"/> when the text carries a secret; the message names its kind and position, never its value.</summary>
    public static void RefuseSecrets(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        Match flag = SecretFlag().Match(commandLine);
        Match key = SecretKey().Match(commandLine);
        Match jwt = Jwt().Match(commandLine);
        Match? first = new[] { flag, key, jwt }.Where(m => m.Success).MinBy(m => m.Index);
        if (first is not null)
        {
            string kind = first == jwt ? "JWT" : first == flag ? first.Groups["name"].Value.ToLowerInvariant() : first.Groups["name"].Value.Trim().TrimEnd('=').Trim();
            throw new SecretInCommandException(kind, first.Index);
        }

        // Anything else the redactor masks (secret JSON fields, PEM keys, …): point at the first masked character.
        string redacted = SecretRedactor.Default.Redact(commandLine);
        if (redacted != commandLine)
        {
            int at = 0;
            while (at < commandLine.Length && at < redacted.Length && commandLine[at] == redacted[at])
            {
                at++;
            }

            throw new SecretInCommandException("secret value", at);
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])(?<name>--?(?:account-key|sas-token|password|connection-string|client-secret|secret|token|access-token|api-key|private-key))(?![A-Za-z0-9_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SecretFlag();

    [GeneratedRegex(@"(?<name>\b(?:AccountKey|SharedAccessSignature|SharedAccessKey|DefaultEndpointsProtocol|ClientSecret|sig)\s*=|\bBearer\s+(?=[A-Za-z0-9\-._~+/]{8,})|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Jwt();
}
