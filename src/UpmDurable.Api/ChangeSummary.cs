namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>One change of <see cref="ChangeList"/>.</summary>
/// <see cref="Simulated"/>: true when nothing real ran (sandbox); absent for changes indexed before the field existed.
public sealed record ChangeSummary(string ChangeId, string Status, string Phase, string Initiator, DateTimeOffset SubmittedAt, DateTimeOffset UpdatedAt, string? PlanHash, string? Request, bool? Simulated = null);
