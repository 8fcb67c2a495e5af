using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpmDurable.Api;

/// <summary>
/// Reads App Service Authentication's principal (base64 JSON <c>{auth_typ, name_typ, role_typ, claims: [{typ, val}]}</c>):
/// keyed on the Entra object id (never a name), in the tenant its directory maps to, with roles from <c>roles</c> and groups
/// from <c>groups</c>. Call it only for a header the platform wrote (<see cref="AppServicePrincipalTrust.Trusted"/>).
/// </summary>
public static class ClientPrincipalHeader
{
    public const string Name = "X-MS-CLIENT-PRINCIPAL";

    const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    const string TenantIdClaim = "http://schemas.microsoft.com/identity/claims/tenantid";

    /// <summary>The principal of the header, or the reason it is refused.</summary>
    public static ClientPrincipalReading Read(string encoded, AuthOptions auth)
    {
        ClientPrincipal? principal;
        try
        {
            principal = JsonSerializer.Deserialize<ClientPrincipal>(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return ClientPrincipalReading.Refused("not base64 JSON");
        }

        if (principal?.Claims is not { Count: > 0 } claims)
        {
            return ClientPrincipalReading.Refused("no claims");
        }

        List<string> Values(params string?[] types) =>
            claims.Where(c => c.Typ is not null && types.Contains(c.Typ) && !string.IsNullOrEmpty(c.Val)).Select(c => c.Val!).Distinct(StringComparer.Ordinal).ToList();

        // Exactly one object id and one directory: a token has one of each, so anything else is not the platform's.
        if (Values(ObjectIdClaim, "oid") is not [string id])
        {
            return ClientPrincipalReading.Refused("no single object id (oid) claim");
        }

        if (Values(TenantIdClaim, "tid") is not [string directory])
        {
            return ClientPrincipalReading.Refused("no single directory (tid) claim");
        }

        List<string> requested = Values("upm_tenant");
        string? tenant = requested.Count > 1 ? null : auth.TenantFor(directory, requested.FirstOrDefault());
        if (tenant is null)
        {
            return ClientPrincipalReading.Refused(requested.Count == 0
                ? $"directory {directory} is not mapped to a tenant (Upm:Auth:Tenants)"
                : $"directory {directory} may not choose tenant '{string.Join(", ", requested)}' (Upm:Auth:Tenants, Upm:Auth:Directories)");
        }

        string display = Values("name").FirstOrDefault() ?? Values(principal.NameTyp, "preferred_username").FirstOrDefault() ?? id;
        return new ClientPrincipalReading(new UpmPrincipal(id, tenant, Values(principal.RoleTyp, "roles"), Values("groups"), display), null);
    }

    sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthTyp,
        [property: JsonPropertyName("name_typ")] string? NameTyp,
        [property: JsonPropertyName("role_typ")] string? RoleTyp,
        [property: JsonPropertyName("claims")] List<ClientClaim>? Claims);

    sealed record ClientClaim(
        [property: JsonPropertyName("typ")] string? Typ,
        [property: JsonPropertyName("val")] string? Val);
}
