using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UpmDurable.Testing;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Requests carrying an <c>X-MS-CLIENT-PRINCIPAL</c> header, as App Service Authentication writes it or a client forges it.</summary>
public static class ClientPrincipalRequests
{
    public const string ObjectId = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string TenantId = "http://schemas.microsoft.com/identity/claims/tenantid";

    /// <summary>The forgery of issue 14: admin of globex, under a name of the caller's choosing, no object id or directory.</summary>
    public static readonly string Mallory = Header(("roles", "admin"), ("upm_tenant", "globex"), ("name", "mallory"));

    /// <summary>An Entra principal of a directory: object id, directory, name, and more claims.</summary>
    public static string Entra(string oid, string directory, string name, params (string Typ, string Val)[] more) =>
        Header([(ObjectId, oid), (TenantId, directory), ("name", name), .. more]);

    /// <summary>Base64 JSON <c>{auth_typ, name_typ, role_typ, claims: [{typ, val}]}</c>.</summary>
    public static string Header(params (string Typ, string Val)[] claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            name_typ = "name",
            role_typ = "roles",
            claims = claims.Select(c => new { typ = c.Typ, val = c.Val }),
        })));

    /// <summary>Sends a request with the header (and an API key, when given); returns the status and JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(LocalHostProcess host, HttpMethod method, string path, string header, string? key = null, string? json = null)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(method, path, key, json);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", header);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true ? null : JsonNode.Parse(text));
    }
}
