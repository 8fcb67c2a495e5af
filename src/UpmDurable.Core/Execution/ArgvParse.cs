namespace UpmDurable.Core.Execution;

/// <summary>The options and operands one argv was found to hold after a successful check.</summary>
internal sealed record ArgvParse(IReadOnlyList<(OptionRule Rule, IReadOnlyList<string> Values, int Token)> Options, IReadOnlyList<int> Operands);
