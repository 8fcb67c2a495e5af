namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/webhooks/approvals/{provider}: a verified event that decides nothing here (a ping, a comment-only review), acknowledged so the sender does not retry.</summary>
public sealed record WebhookIgnored(string Provider, string Ignored);
