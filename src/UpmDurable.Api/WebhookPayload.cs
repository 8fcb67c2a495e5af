namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/webhooks/approvals/{provider}: the body depends on the provider (see docs/webhooks.md); any JSON object.</summary>
public sealed record WebhookPayload;
