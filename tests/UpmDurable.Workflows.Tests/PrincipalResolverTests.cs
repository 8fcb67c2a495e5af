using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UpmDurable.Api;
using Xunit;

namespace UpmDurable.Workflows.Tests;

public sealed class PrincipalResolverTests
{
    const string Oid = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    const string Tid = "http://schemas.microsoft.com/identity/claims/tenantid";

    static readonly ApiKeyEntry Alice = new() { Hash = PrincipalResolver.HashKey("alice-key"), Principal = "alice", Tenant = "acme", Roles = ["submitter"], Groups = ["platform"] };

    static readonly PlatformAuthentication AuthOn = new(true);

    /// <summary>The forgery: a client-made header claiming admin of globex under a chosen name.</summary>
    static readonly object Mallory = new
    {
        claims = new[] { new { typ = "roles", val = "admin" }, new { typ = "upm_tenant", val = "globex" }, new { typ = "name", val = "mallory" } },
    };

    static AuthOptions Trusting() => new()
    {
        TrustAppServicePrincipal = true,
        Tenants = new() { ["tid-1"] = "acme", ["tid-2"] = "globex" },
        Directories = new() { ["tid-1"] = new DirectoryTenants { Tenants = ["acme-lab"] } },
    };

    static PrincipalResolver Resolver(PlatformAuthentication? platform, AuthOptions? auth = null) => new([Alice], auth ?? Trusting(), platform);

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

    /// <summary>An Entra principal as App Service writes it: object id, directory, name and more claims.</summary>
    static object Entra(string? oid, string tid, string name, params (string Typ, string Val)[] more)
    {
        List<(string Typ, string Val)> claims = [("name", name), ("preferred_username", name.ToLowerInvariant().Replace(' ', '.') + "@contoso.com"), (Tid, tid), .. more];
        if (oid is not null)
        {
            claims.Add((Oid, oid));
        }

        return new { auth_typ = "aad", name_typ = "preferred_username", role_typ = "roles", claims = claims.Select(c => new { typ = c.Typ, val = c.Val }).ToArray() };
    }

    [Fact]
    public void Api_key_resolves_to_its_configured_principal_and_only_its_hash_is_needed()
    {
        var resolver = new PrincipalResolver([Alice], platform: AuthOn);

        UpmPrincipal? principal = resolver.Resolve(Request("alice-key"));

        Assert.Equal(("alice", "acme", "alice"), (principal!.Id, principal.Tenant, principal.DisplayName));
        Assert.Null(resolver.Resolve(Request("wrong-key")));
        Assert.Null(resolver.Resolve(Request()));
    }

    [Fact]
    public void Header_is_ignored_when_trust_is_not_configured_even_where_platform_authentication_is_on()
    {
        var resolver = new PrincipalResolver([Alice], new AuthOptions { Tenants = new() { ["tid-1"] = "acme" } }, AuthOn);

        Assert.Equal(AppServicePrincipalTrust.Off, resolver.AppServicePrincipal);
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("roles", "admin")))));
        Assert.Equal("alice", resolver.Resolve(Request("alice-key", Entra("oid-ann", "tid-1", "Ann", ("roles", "admin"))))!.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("1")]
    [InlineData("yes")]
    public void Header_is_ignored_when_trust_is_configured_but_the_platform_does_not_say_its_authentication_is_on(string? websiteAuthEnabled)
    {
        PrincipalResolver resolver = Resolver(PlatformAuthentication.Parse(websiteAuthEnabled));

        Assert.Equal(AppServicePrincipalTrust.Ignored, resolver.AppServicePrincipal);
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Mallory)));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("roles", "admin")))));
        Assert.Contains("WEBSITE_AUTH_ENABLED", resolver.Health().Detail, StringComparison.Ordinal);
        Assert.Equal("ignored", resolver.Health().AppServicePrincipal);
    }

    [Fact]
    public void A_forged_header_with_a_valid_key_resolves_as_the_key_and_without_one_as_nobody()
    {
        PrincipalResolver resolver = Resolver(PlatformAuthentication.Parse(null));

        UpmPrincipal? principal = resolver.Resolve(Request("alice-key", Mallory));

        Assert.Equal(("alice", "acme"), (principal!.Id, principal.Tenant));
        Assert.Equal(["submitter"], principal.Roles);
        Assert.Null(resolver.Resolve(Request("wrong-key", Mallory)));
    }

    [Theory]
    [InlineData("True")]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void Platform_says_authentication_is_on_only_with_true_in_any_case(string value)
    {
        Assert.True(PlatformAuthentication.Parse(value).Enabled);
        Assert.Equal(AppServicePrincipalTrust.Trusted, Resolver(PlatformAuthentication.Parse(value)).AppServicePrincipal);
    }

    [Fact]
    public void Trusted_principal_is_keyed_on_the_object_id_with_the_name_beside_it_in_its_directory_s_tenant()
    {
        object entra = Entra("0f1e2d3c-oid-ann", "tid-1", "Ann Example", ("roles", "approver"), ("roles", "auditor"), ("groups", "platform-owners"));

        UpmPrincipal? principal = Resolver(AuthOn).Resolve(Request(clientPrincipal: entra));

        Assert.Equal(("0f1e2d3c-oid-ann", "acme", "Ann Example"), (principal!.Id, principal.Tenant, principal.DisplayName));
        Assert.Equal(["approver", "auditor"], principal.Roles);
        Assert.Equal(["platform-owners"], principal.Groups);
    }

    [Fact]
    public void Short_oid_and_tid_claims_are_read_too()
    {
        object entra = new { claims = new[] { new { typ = "oid", val = "oid-gus" }, new { typ = "tid", val = "tid-2" }, new { typ = "name", val = "Gus" } } };

        UpmPrincipal? principal = Resolver(AuthOn).Resolve(Request(clientPrincipal: entra));

        Assert.Equal(("oid-gus", "globex", "Gus"), (principal!.Id, principal.Tenant, principal.DisplayName));
    }

    [Fact]
    public void Two_people_with_the_same_name_are_two_principals()
    {
        PrincipalResolver resolver = Resolver(AuthOn);

        UpmPrincipal first = resolver.Resolve(Request(clientPrincipal: Entra("oid-1", "tid-1", "Sam Smith")))!;
        UpmPrincipal second = resolver.Resolve(Request(clientPrincipal: Entra("oid-2", "tid-1", "Sam Smith")))!;

        Assert.Equal(first.DisplayName, second.DisplayName);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void A_principal_without_exactly_one_object_id_is_refused()
    {
        PrincipalResolver resolver = Resolver(AuthOn);

        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra(null, "tid-1", "Ann", ("roles", "admin")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("oid", "oid-other")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Mallory)));
    }

    [Fact]
    public void A_principal_of_an_unmapped_directory_is_refused_whatever_upm_tenant_it_claims()
    {
        PrincipalResolver resolver = Resolver(AuthOn);

        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-eve", "tid-other", "Eve", ("roles", "admin")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-eve", "tid-other", "Eve", ("roles", "admin"), ("upm_tenant", "acme")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-eve", "tid-1", "Eve", (Tid, "tid-2")))));
    }

    [Fact]
    public void Upm_tenant_chooses_only_among_the_tenants_of_the_caller_s_directory()
    {
        PrincipalResolver resolver = Resolver(AuthOn);

        Assert.Equal("acme-lab", resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("upm_tenant", "acme-lab"))))!.Tenant);
        Assert.Equal("acme", resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("upm_tenant", "acme"))))!.Tenant);

        // globex is mapped, but to another directory; acme-lab belongs to tid-1's list, not tid-2's.
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("upm_tenant", "globex")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-gus", "tid-2", "Gus", ("upm_tenant", "acme-lab")))));
        Assert.Null(resolver.Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-1", "Ann", ("upm_tenant", "acme"), ("upm_tenant", "acme-lab")))));
    }

    [Fact]
    public void A_directory_listed_only_under_directories_is_not_mapped()
    {
        var auth = new AuthOptions { TrustAppServicePrincipal = true, Directories = new() { ["tid-9"] = new DirectoryTenants { Tenants = ["acme"] } } };

        Assert.Null(Resolver(AuthOn, auth).Resolve(Request(clientPrincipal: Entra("oid-ann", "tid-9", "Ann", ("upm_tenant", "acme")))));
    }

    [Fact]
    public void A_malformed_trusted_header_is_refused_and_not_replaced_by_a_key()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = "not base64!";
        context.Request.Headers.Authorization = "Bearer alice-key";

        Assert.Null(Resolver(AuthOn).Resolve(context.Request));
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
