namespace UpmDurable.Core.Kpis;

/// <summary>The spec's comparison-template row for this deployment.</summary>
public sealed record ScorecardRow(string Platform, List<PhaseScore> Phases, int Overall, List<string> GatesApplied, List<Kpi> Kpis, List<string> EvidenceLinks);
