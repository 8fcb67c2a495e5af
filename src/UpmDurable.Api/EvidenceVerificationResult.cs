using UpmDurable.Core.Audit;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>GET /api/changes/{id}/evidence/verify (same as <see cref="EvidenceVerification"/>, named for the document).</summary>
public sealed record EvidenceVerificationResult(bool Ok, int Records, int? FirstBadRecord, string? Problem, string? ChainHead);
