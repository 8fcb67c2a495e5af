namespace UpmDurable.Api;

/// <summary>The principal read from an <c>X-MS-CLIENT-PRINCIPAL</c> header, or why the header was refused.</summary>
public sealed record ClientPrincipalReading(UpmPrincipal? Principal, string? Refusal)
{
    internal static ClientPrincipalReading Refused(string why) => new(null, why);
}
