namespace UpmDurable.Core.Model;

/// <summary>
/// The latest drift check of a completed change (GET /api/changes/{id}/drift): the resources read back, hashed and diffed
/// against the verified baseline and the plan's intended state.
/// </summary>
public sealed record DriftReport
{
    public required string ChangeId { get; init; }

    public required string Tenant { get; init; }

    /// <summary><c>pending</c>, <c>in_sync</c>, <c>drifted</c>, <c>stopped</c> or <c>not_monitored</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>off</c>, <c>report</c> or <c>remediate</c>.</summary>
    public required string Mode { get; init; }

    public required string Interval { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public DateTimeOffset? NextCheckAt { get; init; }

    /// <summary>SHA-256 of the verified state (the change's <c>verification.baseline_hash</c>).</summary>
    public string? BaselineHash { get; init; }

    /// <summary>SHA-256 of the state read back now, computed the same way.</summary>
    public string? CurrentHash { get; init; }

    public int ResourcesChecked { get; init; }

    /// <summary>Resources no longer watched because a later change owns them.</summary>
    public List<string> Superseded { get; init; } = [];

    public List<DiffEntry> Diff { get; init; } = [];

    /// <summary>How many checks the monitor has run.</summary>
    public int Iterations { get; init; }

    /// <summary>The remediation change started for this drift, when the mode is <c>remediate</c>.</summary>
    public string? RemediationChangeId { get; init; }

    public string? RemediationStatus { get; init; }

    /// <summary>Why the monitor stopped.</summary>
    public string? Reason { get; init; }

    /// <summary>Milliseconds the check took (read-backs, hashing, diff).</summary>
    public long DurationMs { get; init; }
}
