namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>GET /api/evidence/public-key.</summary>
public sealed record EvidencePublicKey(string KeyId, string Algorithm, string PublicKeyPem);
