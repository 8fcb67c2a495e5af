using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Http;

// Placeholders for the drift routes being built in parallel: at merge, point ApiRoutes at the real types and delete these.

/// <summary>GET /api/changes/{id}/drift (placeholder shape of the DriftReport until the drift routes land).</summary>
public sealed record DriftReportShape(
    string ChangeId,
    string Status,
    string? Mode,
    string? Interval,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? NextCheckAt,
    string? BaselineHash,
    string? CurrentHash,
    int ResourcesChecked,
    List<DiffEntry> Diff,
    int Iterations,
    string? RemediationChangeId);

/// <summary>POST /api/drift/reconcile (placeholder shape until the drift routes land).</summary>
public sealed record DriftReconcileShape(int Swept, int Restarted, int Stopped);
