namespace UpmDurable.Core.Kpis;

/// <summary>One phase's level (0–4) and the clauses behind it.</summary>
public sealed record PhaseScore(string Phase, int Level, List<ScorecardClause> Clauses);
