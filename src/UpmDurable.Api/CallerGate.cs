using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using UpmDurable.Core.Model;

namespace UpmDurable.Api;

/// <summary>
/// Authorization done once: each route's access is declared in <see cref="ApiRoutes"/> (the catalog the OpenAPI document
/// is generated from) and enforced here by its operation id — the caller is identified, its roles checked (any
/// authenticated caller for <see cref="RouteAccess.Any"/>), and for a route on one change, the change it may see is found.
/// Handlers run only when all of that holds.
/// </summary>
public sealed class CallerGate(PrincipalResolver principals, VisibleChanges visible)
{
    // Roles per operation. Admin holds every role, so it is named only where it is the one role a route takes.
    static readonly FrozenDictionary<string, string[]> Roles = ApiRoutes.All
        .Where(r => r.Access is not (RouteAccess.None or RouteAccess.Signature))
        .ToFrozenDictionary(r => r.OperationId, r => RolesOf(r.Access), StringComparer.Ordinal);

    /// <summary>Whether the caller may use the route <paramref name="operationId"/>.</summary>
    public Admission Check(HttpRequest request, string operationId)
    {
        string[] roles = Roles.TryGetValue(operationId, out string[]? declared)
            ? declared
            : throw new ArgumentException($"'{operationId}' is no route of ApiRoutes that needs a caller.", nameof(operationId));
        UpmPrincipal? principal = principals.Resolve(request);
        if (principal is null)
        {
            return new Admission.Refused(ApiResult.Problem(401, "Authentication required.", "Send 'Authorization: Bearer <api key>'.")
                .WithHeader("WWW-Authenticate", "Bearer"));
        }

        if (roles.Length > 0 && !principal.HasAnyRole(roles))
        {
            return new Admission.Refused(ApiResult.Problem(403, "Forbidden.", $"This route needs the role {string.Join(" or ", roles)}."));
        }

        return new Admission.Admitted(principal);
    }

    /// <summary>Runs <paramref name="handle"/> as the caller, or answers why the caller may not.</summary>
    public async Task<ApiResult> AsCallerAsync(HttpRequest request, string operationId, Func<UpmPrincipal, Task<ApiResult>> handle) =>
        Check(request, operationId) switch
        {
            Admission.Admitted admitted => await handle(admitted.Principal),
            Admission.Refused refused => refused.Problem,
            _ => throw new InvalidOperationException("An admission is admitted or refused."),
        };

    /// <summary>Runs <paramref name="handle"/> on a change the caller may see, or answers 401, 403 or 404.</summary>
    public Task<ApiResult> ForChangeAsync(HttpRequest request, string operationId, string changeId, Func<UpmPrincipal, ChangeRecord, Task<ApiResult>> handle) =>
        AsCallerAsync(request, operationId, async principal =>
            await visible.FindAsync(principal, changeId, request.HttpContext.RequestAborted) is { } record
                ? await handle(principal, record)
                : VisibleChanges.NotFound(changeId));

    static string[] RolesOf(string access)
    {
        if (access == RouteAccess.Any)
        {
            return [];
        }

        string[] roles = access.Split('|');
        return roles.Length > 1 ? [.. roles.Where(r => r != UpmPrincipal.Admin)] : roles;
    }
}
