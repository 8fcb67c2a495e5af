namespace UpmDurable.Core.Kpis;

/// <summary>One acceptance clause of a level: whether it holds and what proves it (or why it does not).</summary>
public sealed record ScorecardClause(int Level, string Clause, bool Holds, string Evidence);
