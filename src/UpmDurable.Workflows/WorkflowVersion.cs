using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace UpmDurable.Workflows;

/// <summary>
/// The orchestration version this build runs: new orchestrations start at it, and a worker runs orchestrations of this
/// version or older (Durable Task's <c>CurrentOrOlder</c> match). One source, <c>Upm:Workflows:Version</c>; default the
/// app's version. See docs/versioning.md.
/// </summary>
public sealed record WorkflowVersion
{
    /// <summary>The configuration key of the version.</summary>
    public const string Key = "Upm:Workflows:Version";

    WorkflowVersion(string current) => Current = current;

    /// <summary>The version, in <see cref="System.Version"/> form (<c>major.minor[.build[.revision]]</c>), so versions compare as numbers.</summary>
    public string Current { get; }

    /// <summary>The app's version: the informational version of this assembly without its build metadata (<c>+commit</c>).</summary>
    public static string AppVersion { get; } = StripMetadata(
        typeof(WorkflowVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(WorkflowVersion).Assembly.GetName().Version?.ToString()
        ?? "1.0.0");

    /// <summary>The configured version, or the app's; a value that is not a version stops the host (it would compare as text).</summary>
    public static WorkflowVersion From(IConfiguration configuration) => Parse(configuration[Key] is { Length: > 0 } configured ? configured : AppVersion);

    /// <summary>A version of the allowed form: digits and dots, two to four numbers (<c>1.0</c>, <c>2.1.0</c>).</summary>
    public static WorkflowVersion Parse(string value)
    {
        string trimmed = value.Trim();
        bool allowed = trimmed.Length is > 0 and <= 32
            && trimmed.All(c => char.IsAsciiDigit(c) || c == '.')
            && Version.TryParse(trimmed, out _);
        return allowed
            ? new WorkflowVersion(trimmed)
            : throw new InvalidOperationException($"{Key} must be a version of two to four numbers such as 1.0 or 2.1.0; got '{value}'.");
    }

    /// <summary>
    /// The version an orchestration runs at as its change record and evidence show it: null for one started before
    /// versioning (an empty version, which Durable Task orders before every version).
    /// </summary>
    public static string? OfOrchestration(string? contextVersion) => string.IsNullOrWhiteSpace(contextVersion) ? null : contextVersion;

    static string StripMetadata(string version)
    {
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    public override string ToString() => Current;
}
