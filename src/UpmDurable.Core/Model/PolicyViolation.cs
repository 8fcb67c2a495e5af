namespace UpmDurable.Core.Model;

/// <summary>One violated rule; <see cref="Resource"/> is the step id for resource-scoped rules.</summary>
public sealed record PolicyViolation(string Pack, string RuleId, string Severity, string Message, string? Resource = null);
