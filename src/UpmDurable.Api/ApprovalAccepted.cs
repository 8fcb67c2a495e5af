namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/changes/{id}/approvals: the decision was accepted and raised to the orchestration.</summary>
public sealed record ApprovalAccepted(string ChangeId, string Decision, string Approver, string Channel, string PlanHash, DateTimeOffset AcceptedAt, string? ApproverName = null);
