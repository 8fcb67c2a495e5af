namespace UpmDurable.Api;

/// <summary>The answer to "may this caller use this route": admitted as a principal, or refused with the problem to answer.</summary>
public abstract record Admission
{
    Admission()
    {
    }

    /// <summary>The caller is authenticated and holds one of the route's roles.</summary>
    public sealed record Admitted(UpmPrincipal Principal) : Admission;

    /// <summary>401 (nobody authenticated) or 403 (a role the route does not take).</summary>
    public sealed record Refused(ApiResult Problem) : Admission;
}
