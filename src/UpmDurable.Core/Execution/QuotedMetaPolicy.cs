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
