namespace UpmDurable.Core.Model;

/// <summary>
/// The rules every approval decision must pass, whatever its channel: plan-hash binding, separation of duties, group
/// membership, one person counts once. Checked at the door (HTTP and webhooks) and again by the orchestration.
/// </summary>
public static class ApprovalRules
{
    /// <summary>
    /// How principal ids compare wherever a rule asks "the same person?": case-insensitively, so <c>Alice</c> cannot approve
    /// <c>alice</c>'s change, nor count a second time, whichever channel (API key, platform login, webhook) names her.
    /// </summary>
    public static StringComparer SamePerson => StringComparer.OrdinalIgnoreCase;

    /// <summary>The people whose approvals counted so far (compared with <see cref="SamePerson"/>).</summary>
    public static IReadOnlySet<string> ApprovedBy(IEnumerable<ApprovalDecision> counted) =>
        counted.Where(d => d.Decision == "approve" && d.RefusedBecause is null).Select(d => d.Approver).ToHashSet(SamePerson);

    /// <summary>The first rule the decision breaks, or null when it counts.</summary>
    public static ApprovalRefusal? Check(ApprovalDecision decision, string initiator, string? planHash, IReadOnlyCollection<string> groups, IReadOnlySet<string> approvedBy)
    {
        if (decision.PlanHash != planHash)
        {
            return new(ApprovalRefusalKind.StalePlanHash, $"stale plan hash: the decision names {decision.PlanHash}, the plan is {planHash}");
        }

        if (SamePerson.Equals(decision.Approver, initiator))
        {
            return new(ApprovalRefusalKind.SeparationOfDuties, "separation of duties: the initiator cannot approve their own change");
        }

        if (!decision.Groups.Intersect(groups, StringComparer.Ordinal).Any())
        {
            return new(ApprovalRefusalKind.NotInRequiredGroup, $"approver is in none of the required groups ({string.Join(", ", groups)})");
        }

        // Whatever comparer the caller's set has, the same person is found.
        if (decision.Decision == "approve" && approvedBy.Contains(decision.Approver, SamePerson))
        {
            return new(ApprovalRefusalKind.Duplicate, "duplicate: this approver has already approved; one person counts once");
        }

        return decision.Decision is "approve" or "reject" ? null : new(ApprovalRefusalKind.UnknownDecision, $"unknown decision '{decision.Decision}'");
    }
}
