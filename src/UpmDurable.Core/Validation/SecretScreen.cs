using System.Text.RegularExpressions;
using UpmDurable.Core.Execution;

namespace UpmDurable.Core.Validation;

/// <summary>
/// Keeps secrets out at the door, before anything is stored or an orchestration starts (its input lands in the task
/// hub's history): free text (request, comments, reasons) is redacted to <c>***</c>; a property value that carries a
/// secret is refused — it must name one instead (<c>password=secretref:db-password</c>), for the provider to resolve.
/// </summary>
public static partial class SecretScreen
{
    /// <summary>How a property value names a secret without carrying it.</summary>
    public const string ReferencePrefix = "secretref:";

    /// <summary>Free text with every secret the <see cref="SecretRedactor"/> knows, and <c>name: value</c> / <c>name=value</c> pairs of secret-named keys, masked.</summary>
    public static string Redact(string? text)
    {
        string redacted = SecretRedactor.Default.Redact(text);
        return SecretAssignment().Replace(redacted, m => m.Groups["head"].Value + SecretRedactor.Mask);
    }

    /// <summary>True when a value holds a secret (a secret reference does not count).</summary>
    public static bool HoldsSecret(string value)
    {
        // References become masks first: the patterns skip a value that is already masked.
        string probe = SecretReference().Replace(value, SecretRedactor.Mask + "ref");
        return Redact(probe) != probe;
    }

    /// <summary>A step record with its command and outputs redacted: provider outputs land in history, records and evidence.</summary>
    public static Model.StepRecord Redact(Model.StepRecord record) => record with
    {
        Cmd = Redact(record.Cmd),
        Stdout = record.Stdout is null ? null : Redact(record.Stdout),
        Stderr = record.Stderr is null ? null : Redact(record.Stderr),
        WouldRun = record.WouldRun is null ? null : Redact(record.WouldRun),
    };

    [GeneratedRegex(@"(?<head>\b[A-Za-z0-9_.-]{0,40}?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|account[_-]?key|client[_-]?secret|connection[_-]?string|private[_-]?key|credential)s?[""']?\s*[:=]\s*[""']?)(?!\*\*\*)[^\s,;""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"secretref:[A-Za-z0-9][A-Za-z0-9._-]{0,126}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SecretReference();
}
