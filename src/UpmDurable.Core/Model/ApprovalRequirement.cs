namespace UpmDurable.Core.Model;

/// <summary>
/// The approvals a change needs once policy is applied: a count, whether the auto-approval lane took it, and why.
/// <see cref="Rule"/> names the policy rule that set the requirement; <see cref="Groups"/> are the policy's approver groups
/// (at least <see cref="PolicyMinimum"/> counted approvers must come from them); <see cref="AddedGroups"/> are groups the
/// request added, each of which must also sign. Append-only contract.
/// </summary>
public sealed record ApprovalRequirement(
    int Required,
    bool AutoApproved,
    string Reason,
    string? Rule = null,
    List<string>? Groups = null,
    int PolicyMinimum = 0,
    List<string>? AddedGroups = null)
{
    /// <summary>Every group whose members may approve: the policy's, then the ones the request added.</summary>
    public List<string> EligibleGroups => [.. (Groups ?? []).Concat(AddedGroups ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Whether the counted approvals meet the requirement: enough distinct approvers, at least the policy minimum of them
    /// from the policy's groups, and every group the request added represented.
    /// </summary>
    public bool IsMetBy(IEnumerable<ApprovalDecision> counted)
    {
        if (AutoApproved)
        {
            return true;
        }

        var approvals = counted.Where(d => d.Decision == "approve" && d.RefusedBecause is null).GroupBy(d => d.Approver, ApprovalRules.SamePerson).Select(g => g.First()).ToList();
        List<string> policyGroups = Groups ?? [];
        int fromPolicyGroups = policyGroups.Count == 0 ? approvals.Count : approvals.Count(d => d.Groups.Intersect(policyGroups, StringComparer.Ordinal).Any());
        return approvals.Count >= Math.Max(1, Required)
            && fromPolicyGroups >= PolicyMinimum
            && (AddedGroups ?? []).All(g => approvals.Any(d => d.Groups.Contains(g, StringComparer.Ordinal)));
    }
}
