using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Workflows;

namespace UpmDurable.Api;

/// <summary>Reads of a change's evidence: the signed pack, the chain re-verified, one record as stored, the signing key.</summary>
public sealed class EvidenceReads(ChangeStore changes, EvidenceStore evidence, ChangeOperations operations, EvidenceKeys keys, PublicBaseUrl publicBaseUrl, TimeProvider clock, ILogger<EvidenceReads> logger)
{
    /// <summary>GET /api/changes/{id}/evidence: the signed zip evidence pack.</summary>
    public async Task<ApiResult> PackAsync(UpmPrincipal principal, ChangeRecord record, CancellationToken cancellationToken)
    {
        if (Signer() is not { } signer)
        {
            return SigningKeyUnavailable();
        }

        var (blobs, verification) = await VerifyStoredAsync(record, cancellationToken);

        // Permalinks on the configured address: the Host header is the caller's to write and the pack outlives the request.
        byte[] pack = EvidencePack.Build(record, blobs, verification, publicBaseUrl.Origin, signer, clock.GetUtcNow(), await operations.BeforeImagesAsync(record, cancellationToken));
        logger.LogInformation("Evidence pack of change {ChangeId} ({Records} records, chain ok: {Ok}) downloaded by {Principal}", record.ChangeId, verification.Records, verification.Ok, principal.Id);
        return ApiResult.Bytes(200, pack, "application/zip")
            .WithHeader("Content-Disposition", $"attachment; filename=\"{record.ChangeId}-evidence.zip\"")
            .WithHeader("X-Upm-Evidence-Key-Id", signer.KeyId);
    }

    /// <summary>GET /api/changes/{id}/evidence/verify: re-reads every blob and rechecks hashes and the chain.</summary>
    public async Task<ApiResult> VerifyAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        var (_, verification) = await VerifyStoredAsync(record, cancellationToken);
        if (!verification.Ok)
        {
            logger.LogWarning("Evidence of change {ChangeId} failed verification at record {Seq}: {Problem}", record.ChangeId, verification.FirstBadRecord, verification.Problem);
        }

        return ApiResult.Json(200, verification);
    }

    /// <summary>GET /api/changes/{id}/evidence/records/{seq}: one evidence record as stored (the pack's permalinks).</summary>
    public async Task<ApiResult> RecordAsync(ChangeRecord record, string seq, CancellationToken cancellationToken)
    {
        byte[]? content = int.TryParse(seq, out int number) && number is > 0 and < 100_000_000
            ? await evidence.GetRawAsync(record.Tenant, record.ChangeId, number, cancellationToken)
            : null;
        return content is null
            ? ApiResult.Problem(404, "Evidence record not found.", $"Change {record.ChangeId} has no evidence record {seq}.")
            : ApiResult.Bytes(200, content, "application/json");
    }

    /// <summary>GET /api/evidence/public-key: the key evidence packs are signed with, for offline verification.</summary>
    public ApiResult PublicKey() => Signer() is { } signer
        ? ApiResult.Json(200, new { key_id = signer.KeyId, algorithm = "ECDSA P-256 with SHA-256, DER signatures", public_key_pem = signer.PublicKeyPem })
        : SigningKeyUnavailable();

    /// <summary>The stored evidence blobs of a change and their verification against the index row's chain length and head.</summary>
    public async Task<(List<StoredEvidence> Blobs, EvidenceVerification Verification)> VerifyStoredAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        ChangeIndexEntry? index = await changes.GetIndexAsync(record.Tenant, record.ChangeId, cancellationToken);
        List<StoredEvidence> blobs = await evidence.ListRawAsync(record.Tenant, record.ChangeId, cancellationToken);
        return (blobs, ExpectedChain.Of(index, record).Verify(blobs));
    }

    // The evidence signer, or null (logged with the setting to fix) when the service has no usable key.
    EvidenceSigner? Signer()
    {
        try
        {
            return keys.GetSigner();
        }
        catch (EvidenceKeyException ex)
        {
            logger.LogError("Evidence signing key unavailable: {Reason}", ex.Message);
            return null;
        }
    }

    static ApiResult SigningKeyUnavailable() =>
        ApiResult.Problem(503, "Evidence signing key unavailable.", "The service has no usable evidence signing key; the reason is in its log. Retry after the operators fix it.");
}
