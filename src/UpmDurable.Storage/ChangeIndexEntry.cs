namespace UpmDurable.Storage;

/// <summary>One row of the change index.</summary>
public sealed record ChangeIndexEntry(
    string Tenant,
    string ChangeId,
    string Status,
    string Phase,
    string Initiator,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    string? PlanHash,
    string? ChainHead,
    int EvidenceRecords,
    string? RequestHash,
    string? Request)
{
    public string? Visibility { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyCollection<string> ApprovalGroups { get; init; } = [];

    public string? DriftMode { get; init; }

    public string? DriftInterval { get; init; }

    public string? DriftStatus { get; init; }

    public DateTimeOffset? DriftCheckedAt { get; init; }

    /// <summary>Whether the change is simulated (see <c>SimulatedRuns</c>); null on rows saved before the column existed.</summary>
    public bool? Simulated { get; init; }
}
