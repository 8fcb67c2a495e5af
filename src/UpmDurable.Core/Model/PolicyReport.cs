namespace UpmDurable.Core.Model;

/// <summary>The outcome of policy evaluation: passed unless some deny rule is violated. Append-only contract.</summary>
public sealed record PolicyReport
{
    public required bool Passed { get; init; }

    /// <summary>Every violated rule, deny and warn, in pack, rule and resource order.</summary>
    public required List<PolicyViolation> Violations { get; init; }

    /// <summary>How many violations are warnings.</summary>
    public required int Warnings { get; init; }
}

/// <summary>One violated rule; <see cref="Resource"/> is the step id for resource-scoped rules.</summary>
public sealed record PolicyViolation(string Pack, string RuleId, string Severity, string Message, string? Resource = null);
