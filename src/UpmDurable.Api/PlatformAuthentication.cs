namespace UpmDurable.Api;

/// <summary>
/// Whether the hosting platform says App Service Authentication (Easy Auth) is on for this app: App Service sets
/// <c>WEBSITE_AUTH_ENABLED=True</c> then, and only then does it strip client-sent <c>X-MS-CLIENT-PRINCIPAL</c> headers.
/// </summary>
public sealed record PlatformAuthentication(bool Enabled)
{
    /// <summary>The environment variable App Service sets when its authentication is on.</summary>
    public const string Variable = "WEBSITE_AUTH_ENABLED";

    /// <summary>What this process's environment says.</summary>
    public static PlatformAuthentication FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>On only for <c>True</c> (any case); missing, empty or anything else is off.</summary>
    public static PlatformAuthentication Parse(string? value) => new(string.Equals(value, "True", StringComparison.OrdinalIgnoreCase));
}
