namespace UpmDurable.Core.Model;

/// <summary>Approval state: the policy, the decisions that counted, and the attempts that were refused.</summary>
public sealed record ApprovalState
{
    public List<string> Groups { get; init; } = [];

    public int Required { get; init; }

    public DateTimeOffset? Deadline { get; init; }

    public List<ApprovalDecision> Decisions { get; init; } = [];

    public List<ApprovalDecision> Refused { get; init; } = [];

    /// <summary>The plan hash the approvals bind to.</summary>
    public string? PlanHash { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>auto_approved</c>, <c>rejected</c> or <c>expired</c>.</summary>
    public string Outcome { get; init; } = "pending";

    /// <summary>The policy rule that set the requirement (an approval rule, the auto-approval lane, or the built-in floor).</summary>
    public string? Rule { get; init; }

    /// <summary>The least number of counted approvers from the policy's groups.</summary>
    public int PolicyMinimum { get; init; }

    /// <summary>What the request asked for in <c>approvals.required</c> (null: nothing); below the policy's minimum it was raised to it.</summary>
    public int? Requested { get; init; }

    /// <summary>Groups the request added: each needs one approver of its own.</summary>
    public List<string> AddedGroups { get; init; } = [];

    /// <summary>Refused attempts not recorded one by one (repeats of a recorded one, or past the per-change cap).</summary>
    public int RefusedNotRecorded { get; init; }
}
