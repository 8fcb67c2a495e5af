namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/changes: the accepted (202) or idempotently repeated (200) change.</summary>
public sealed record ChangeAccepted(string ChangeId, string Status, string PlanHash, ChangeLinks Links);
