namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/changes/{id}/pause|resume|abort|rollback: the command was accepted and raised to the orchestration.</summary>
public sealed record OperatorAccepted(string ChangeId, string Action, string By, string? Reason, DateTimeOffset AcceptedAt, string? ByName = null);
