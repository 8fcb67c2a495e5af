namespace UpmDurable.Core.Execution;

/// <summary>One allowed option: its exact spellings, and how many values it takes and how they are checked.</summary>
/// <param name="Long">The long spelling without dashes (<c>lines</c>), or null.</param>
/// <param name="Short">The short letter (<c>n</c>), or null.</param>
/// <param name="Values">How many values follow (0 for a flag; jq's <c>--arg</c> takes 2).</param>
/// <param name="Check">Returns why the values are refused, or null when they are fine; null accepts any value.</param>
/// <param name="InlineOnly">The value may only be written <c>--name=value</c>: GNU getopt never takes the next token as an optional argument (<c>--color[=WHEN]</c>).</param>
internal sealed record OptionRule(string? Long, char? Short, int Values = 0, Func<IReadOnlyList<string>, string?>? Check = null, bool InlineOnly = false);
