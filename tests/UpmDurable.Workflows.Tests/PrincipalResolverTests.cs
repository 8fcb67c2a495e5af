using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UpmDurable.Workflows.Http;
using Xunit;

namespace UpmDurable.Workflows.Tests;

public sealed class PrincipalResolverTests
{
    static readonly ApiKeyEntry Alice = new() { Hash = PrincipalResolver.HashKey("alice-key"), Principal = "alice", Tenant = "acme", Roles = ["submitter"], Groups = ["platform"] };

    static HttpRequest Request(string? bearer = null, object? clientPrincipal = null)
    {
        var context = new DefaultHttpContext();
        if (bearer is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {bearer}";
        }

        if (clientPrincipal is not null)
        {
            context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(clientPrincipal)));
        }

        return context.Request;
    }

    static object Entra(string name, string tid, params (string Typ, string Val)[] more) => new
    {
        auth_typ = "aad",
        name_typ = "preferred_username",
        role_typ = "roles",
        claims = new[] { new { typ = "preferred_username", val = name }, new { typ = "http://schemas.microsoft.com/identity/claims/tenantid", val = tid } }
            .Concat(more.Select(m => new { typ = m.Typ, val = m.Val })).ToArray(),
    };

    [Fact]
    public void Api_key_resolves_to_its_configured_principal_and_only_its_hash_is_needed()
    {
        var resolver = new PrincipalResolver([Alice]);

        UpmPrincipal? principal = resolver.Resolve(Request("alice-key"));

        Assert.Equal(("alice", "acme"), (principal!.Id, principal.Tenant));
        Assert.Null(resolver.Resolve(Request("wrong-key")));
        Assert.Null(resolver.Resolve(Request()));
    }

    [Fact]
    public void App_service_principal_is_used_only_when_trusted()
    {
        object entra = Entra("ann@contoso.com", "tid-1", ("roles", "approver"), ("roles", "auditor"), ("groups", "platform-owners"));
        var trusted = new PrincipalResolver([], new AuthOptions { TrustAppServicePrincipal = true, Tenants = new() { ["tid-1"] = "acme" } });
        var untrusted = new PrincipalResolver([Alice]);

        UpmPrincipal? principal = trusted.Resolve(Request(clientPrincipal: entra));

        Assert.Equal(("ann@contoso.com", "acme"), (principal!.Id, principal.Tenant));
        Assert.Equal(["approver", "auditor"], principal.Roles);
        Assert.Equal(["platform-owners"], principal.Groups);
        Assert.Null(untrusted.Resolve(Request(clientPrincipal: entra)));
        Assert.Equal("alice", untrusted.Resolve(Request("alice-key", entra))!.Id);
    }

    [Fact]
    public void App_service_principal_of_an_unmapped_directory_or_malformed_header_is_refused()
    {
        var trusted = new PrincipalResolver([], new AuthOptions { TrustAppServicePrincipal = true, Tenants = new() { ["tid-1"] = "acme" } });

        Assert.Null(trusted.Resolve(Request(clientPrincipal: Entra("eve@fabrikam.com", "tid-other", ("roles", "admin")))));
        var context = new DefaultHttpContext();
        context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = "not base64!";
        Assert.Null(trusted.Resolve(context.Request));
        Assert.Equal("globex", trusted.Resolve(Request(clientPrincipal: Entra("gus@fabrikam.com", "tid-other", ("upm_tenant", "globex"))))!.Tenant);
    }

    [Theory]
    [InlineData("org", "frank", new string[0], true)]
    [InlineData("team", "frank", new string[0], false)]
    [InlineData("team", "frank", new[] { "platform" }, true)]
    [InlineData("team", "frank", new[] { "platform-owners" }, true)]
    [InlineData("private", "frank", new[] { "platform" }, false)]
    [InlineData("private", "frank", new[] { "platform-owners" }, true)]
    [InlineData("private", "alice", new string[0], true)]
    public void Visibility_decides_who_in_the_tenant_reads_a_change(string visibility, string reader, string[] groups, bool expected)
    {
        var principal = new UpmPrincipal(reader, "acme", ["submitter"], groups);
        Assert.Equal(expected, Visibility.CanRead(principal, "alice", visibility, "platform", ["platform-owners"]));
    }
}
