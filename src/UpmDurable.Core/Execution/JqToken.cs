namespace UpmDurable.Core.Execution;

/// <summary>One token of a jq filter and where it starts.</summary>
internal readonly record struct JqToken(JqTokenKind Kind, string Text, int Offset);
