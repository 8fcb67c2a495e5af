namespace UpmDurable.Core.Kpis;

/// <summary>The KPIs of one kind of change (real-provider or simulated): how many changes, and the ten KPIs over them.</summary>
public sealed record KpiSection(int Changes, List<Kpi> Kpis);
