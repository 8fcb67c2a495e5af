using UpmDurable.Core.Audit;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Kpis;

/// <summary>What the KPIs need of a change beyond its record: whether its stored evidence chain verified, and which kinds of record it holds.</summary>
public sealed record KpiChange(ChangeRecord Record, EvidenceVerification? Evidence, IReadOnlySet<string> EvidenceKinds)
{
    /// <summary>The change's latest drift report, when it has one.</summary>
    public DriftReport? Drift { get; init; }
}
