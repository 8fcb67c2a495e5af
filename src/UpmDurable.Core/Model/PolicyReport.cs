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
