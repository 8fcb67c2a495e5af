namespace UpmDurable.Core.Execution;

/// <summary>What a jq token is.</summary>
internal enum JqTokenKind
{
    Name,
    Field,
    Var,
    Format,
    Str,
    Num,
    Punct,
}
