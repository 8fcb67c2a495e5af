namespace UpmDurable.Core.Execution;

/// <summary>The guard-rails that need no tool manifest: shell-meta blocking and the pipe allow-list. Used when a plan is
/// compiled (so a bad command never reaches execution) and again by <see cref="CommandRunner"/> before anything runs.</summary>
public static class CommandGuard
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

        return parsed;
    }
}
