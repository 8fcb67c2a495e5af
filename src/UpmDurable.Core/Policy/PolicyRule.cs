using Cel;

namespace UpmDurable.Core.Policy;

/// <summary>One compiled rule of a pack.</summary>
public sealed class PolicyRule(string id, string severity, string scope, string message, string condition, CelProgramDelegate program)
{
    public string Id { get; } = id;

    /// <summary><see cref="PolicySeverity.Deny"/> or <see cref="PolicySeverity.Warn"/>.</summary>
    public string Severity { get; } = severity;

    /// <summary><see cref="PolicyScope.Change"/> or <see cref="PolicyScope.Resource"/>.</summary>
    public string Scope { get; } = scope;

    public string Message { get; } = message;

    /// <summary>The CEL source: true when the rule is violated.</summary>
    public string Condition { get; } = condition;

    internal CelProgramDelegate Program { get; } = program;
}
