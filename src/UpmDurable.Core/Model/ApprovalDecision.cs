namespace UpmDurable.Core.Model;

/// <summary>An approval decision as it reaches the orchestration (external event). Append-only contract.</summary>
public sealed record ApprovalDecision
{
    /// <summary>The approver's stable id: separation of duties and duplicates compare it.</summary>
    public required string Approver { get; init; }

    /// <summary>The approver's display name, shown beside <see cref="Approver"/>; never compared.</summary>
    public string? ApproverName { get; init; }

    /// <summary><c>approve</c> or <c>reject</c>.</summary>
    public required string Decision { get; init; }

    public required string PlanHash { get; init; }

    public string? Comment { get; init; }

    /// <summary>How it arrived: <c>api</c>, or a webhook provider.</summary>
    public required string Channel { get; init; }

    public List<string> Groups { get; init; } = [];

    public DateTimeOffset At { get; init; }

    /// <summary>Set when the decision was refused: why.</summary>
    public string? RefusedBecause { get; init; }

    /// <summary>For a refused attempt: the rule it broke (<see cref="ApprovalRefusalKind"/> name), the key of deduplication.</summary>
    public string? RefusalKind { get; init; }

    /// <summary>For a refused attempt: how many attempts of the same principal broke the same rule on this change.</summary>
    public int Attempts { get; init; } = 1;
}
