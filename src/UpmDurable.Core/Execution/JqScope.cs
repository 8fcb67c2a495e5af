namespace UpmDurable.Core.Execution;

/// <summary>A scope: names and variables visible in it; <c>Close</c> is the token that ends it.</summary>
internal sealed class JqScope(string close)
{
    public string Close { get; } = close;

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Vars { get; } = new(StringComparer.Ordinal);
}
