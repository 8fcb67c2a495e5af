using UpmDurable.Core.Model;

namespace UpmDurable.Api;

/// <summary>
/// Who may pause, resume, abort or roll back a change: an admin, or an approver who belongs to one of the change's approver
/// groups. Being its initiator neither grants nor bars it (stopping one's own change is a safety action, not a decision).
/// The read-only rollback dry run is not an operator control: any approver who may read the change may ask for it.
/// </summary>
public static class OperatorAccess
{
    /// <summary>
    /// The change's approver groups: those its approvals were requested from, or — before that, or when policy approved it
    /// without a human — the groups decided at submission.
    /// </summary>
    public static IReadOnlyList<string> ApproverGroups(ChangeRecord record) =>
        record.Approvals.Groups.Count > 0 ? record.Approvals.Groups : record.Intent.ApprovalGroups;

    /// <summary>Whether the principal may operate the change.</summary>
    public static bool MayOperate(UpmPrincipal principal, ChangeRecord record) =>
        principal.Roles.Contains(UpmPrincipal.Admin)
        || (principal.Roles.Contains(UpmPrincipal.Approver) && principal.Groups.Intersect(ApproverGroups(record), StringComparer.Ordinal).Any());
}
