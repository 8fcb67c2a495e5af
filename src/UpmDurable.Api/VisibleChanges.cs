using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Api;

/// <summary>
/// The changes a caller may see: tenant-scoped by the store, visibility-scoped here. A change the caller may not see is not
/// found (never 403), and a malformed id never reaches storage.
/// </summary>
public sealed class VisibleChanges
{
    readonly Func<string, string, CancellationToken, Task<ChangeRecord?>> read;

    public VisibleChanges(ChangeStore changes)
        : this(changes.GetAsync)
    {
    }

    /// <summary>Over another reader of a tenant's change (the gate's unit tests read from memory, not storage).</summary>
    internal VisibleChanges(Func<string, string, CancellationToken, Task<ChangeRecord?>> read) => this.read = read;

    /// <summary>The change if it is in the caller's tenant and the caller may read it; else null.</summary>
    public async Task<ChangeRecord?> FindAsync(UpmPrincipal principal, string changeId, CancellationToken cancellationToken)
    {
        ChangeRecord? record = await FindInTenantAsync(principal.Tenant, changeId, cancellationToken);
        return record is not null && Visibility.CanRead(principal, record.Initiator, record.Intent.Visibility, record.Intent.Owner, record.Intent.ApprovalGroups) ? record : null;
    }

    /// <summary>The change of the tenant whoever may read it (a refusal recorded on behalf of an authenticated sender).</summary>
    public async Task<ChangeRecord?> FindInTenantAsync(string tenant, string changeId, CancellationToken cancellationToken) =>
        IsChangeId(changeId) ? await read(tenant, changeId, cancellationToken) : null;

    /// <summary>True for the ids this API hands out: <c>chg-</c> and lower-case hex.</summary>
    public static bool IsChangeId(string value) => value.Length is > 4 and <= 64 && value.StartsWith("chg-", StringComparison.Ordinal) && value[4..].All(char.IsAsciiHexDigitLower);

    /// <summary>404 for a change the caller cannot see, the id clipped.</summary>
    public static ApiResult NotFound(string changeId) =>
        ApiResult.Problem(404, "Change not found.", $"No change '{(changeId.Length > 64 ? changeId[..64] : changeId)}' in your tenant.");
}
