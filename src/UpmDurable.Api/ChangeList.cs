namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>GET /api/changes: one page of the caller's tenant's changes.</summary>
public sealed record ChangeList(List<ChangeSummary> Changes, string? Continuation);
