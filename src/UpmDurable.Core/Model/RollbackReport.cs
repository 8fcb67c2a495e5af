namespace UpmDurable.Core.Model;

/// <summary>The rollback plan and what running it did.</summary>
public sealed record RollbackReport
{
    public bool Available { get; init; }

    public List<string> Plan { get; init; } = [];

    public bool Executed { get; init; }

    public string? Trigger { get; init; }

    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>When the failure that triggered the rollback was detected (MTTR starts here).</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>When the read-backs after rollback were done (MTTR ends here).</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>Read-back of every compensated resource after rollback: gone, or kept because it existed before.</summary>
    public List<RollbackReadBack> ReadBacks { get; init; } = [];

    /// <summary>Resources this change created that are still there after rollback.</summary>
    public List<string> LeftBehind { get; init; } = [];

    /// <summary>Who asked for the rollback of a finished change, and why.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>True when the operator forced the rollback of a finished change over resources changed since (conflicts).</summary>
    public bool? Forced { get; init; }
}
