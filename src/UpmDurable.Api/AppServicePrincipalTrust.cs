namespace UpmDurable.Api;

/// <summary>What this host does with an <c>X-MS-CLIENT-PRINCIPAL</c> header.</summary>
public enum AppServicePrincipalTrust
{
    /// <summary><c>Upm:Auth:TrustAppServicePrincipal</c> is not set: the header is ignored.</summary>
    Off,

    /// <summary>Set, and the platform's authentication is on: the header is the caller.</summary>
    Trusted,

    /// <summary>Set, but the platform does not say its authentication is on: the header is ignored (a client could forge it).</summary>
    Ignored,
}
