namespace UpmDurable.Api;

/// <summary>Who may call a route: a role of <see cref="UpmPrincipal"/>, any authenticated caller, nobody in particular, or a signed webhook.</summary>
public static class RouteAccess
{
    public const string None = "none";
    public const string Any = "any";
    public const string Signature = "signature";
}
