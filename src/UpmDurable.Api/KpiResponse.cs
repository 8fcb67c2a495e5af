using UpmDurable.Core.Kpis;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>
/// GET /api/kpis. <see cref="Changes"/> counts every change in the window; <see cref="Kpis"/> are computed over real-provider
/// changes only (the same as <see cref="Real"/>); <see cref="Simulated"/> holds the sandbox's (docs/simulated-runs.md).
/// </summary>
public sealed record KpiResponse(string Tenant, DateTimeOffset Since, int Changes, List<Kpi> Kpis, KpiSection? Real = null, KpiSection? Simulated = null);
