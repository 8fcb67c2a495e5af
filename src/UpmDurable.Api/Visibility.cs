namespace UpmDurable.Api;

/// <summary>
/// Who within a tenant may read a change, by its <c>visibility</c>: <c>org</c> — everyone in the tenant; <c>team</c> (default) —
/// the initiator, members of the owner team's group, of the approver groups, auditors and admins; <c>private</c> — the
/// initiator, the approver groups, auditors and admins.
/// </summary>
public static class Visibility
{
    public static bool CanRead(UpmPrincipal principal, string initiator, string? visibility, string? owner, IReadOnlyCollection<string>? approvalGroups)
    {
        if (visibility == "org" || principal.Id == initiator || principal.HasAnyRole(UpmPrincipal.Auditor))
        {
            return true;
        }

        bool approver = approvalGroups is not null && principal.Groups.Any(approvalGroups.Contains);
        return visibility == "private" ? approver : approver || (owner is not null && principal.Groups.Contains(owner));
    }
}
