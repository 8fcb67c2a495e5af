using UpmDurable.Core.Kpis;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>
/// GET /api/scorecard. Levels, gates and the row's KPIs rest on real-provider changes only; <see cref="LevelsBasis"/> is
/// <c>no_data</c> when there were none. <see cref="Real"/> and <see cref="Simulated"/> give each side's count and KPIs.
/// </summary>
public sealed record ScorecardResponse(string Tenant, DateTimeOffset Since, int Changes, ScorecardRow Scorecard, ScorecardFacts Facts, KpiSection? Real = null, KpiSection? Simulated = null, string? LevelsBasis = null);
