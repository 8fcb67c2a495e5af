namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>Links of an accepted change.</summary>
public sealed record ChangeLinks(string Self, string Plan, string Approvals, string Evidence);
