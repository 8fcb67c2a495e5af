namespace UpmDurable.Api;

/// <summary>
/// An authenticated caller: who (a stable id: the Entra object id, or an API key's principal), in which tenant, with which
/// roles and groups, and a name to show beside the id. Identity comparisons use <see cref="Id"/> only.
/// </summary>
public sealed record UpmPrincipal(string Id, string Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups, string? DisplayName = null)
{
    public const string Submitter = "submitter";
    public const string Approver = "approver";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>True when the principal has any of the roles (admin has them all).</summary>
    public bool HasAnyRole(params string[] roles) => Roles.Contains(Admin) || roles.Any(Roles.Contains);
}
