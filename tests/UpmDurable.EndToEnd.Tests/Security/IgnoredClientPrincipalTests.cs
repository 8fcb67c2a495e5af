using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>
/// Issue 14: <c>Upm__Auth__TrustAppServicePrincipal=true</c> on an app where App Service Authentication is not on
/// (no <c>WEBSITE_AUTH_ENABLED</c>). A client-made <c>X-MS-CLIENT-PRINCIPAL</c> must make nobody anybody.
/// </summary>
[Collection("security")]
public sealed class IgnoredClientPrincipalTests(SecurityFixture fixture)
{
    [Fact]
    public async Task A_forged_client_principal_is_ignored_and_the_caller_needs_an_api_key()
    {
        // The header, and a well-formed one of the mapped directory: neither is anyone without platform authentication.
        string mapped = ClientPrincipalRequests.Entra("oid-eve", SecurityFixture.AcmeDirectory, "Eve", ("roles", "admin"));
        foreach (string header in new[] { ClientPrincipalRequests.Mallory, mapped })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Get, "/api/changes", header)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Post, "/api/drift/reconcile", header)).Status);
        }

        // With a key as well, the caller is the key's principal: alice, a submitter of acme, not an admin of globex.
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Post, "/api/drift/reconcile", ClientPrincipalRequests.Mallory, ChangeClient.Submitter)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Get, "/api/kpis", mapped, ChangeClient.Submitter)).Status);
        var (listed, list) = await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Get, "/api/changes?limit=1", ClientPrincipalRequests.Mallory, ChangeClient.Submitter);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.NotNull(list!["changes"]);
    }

    [Fact]
    public async Task Health_and_the_start_up_log_say_the_header_is_ignored_and_why()
    {
        var (_, health) = await fixture.Api.SendAsync(HttpMethod.Get, "/api/health", null);

        Assert.Equal("ignored", health!["auth"]!["app_service_principal"]!.GetValue<string>());
        Assert.Contains("WEBSITE_AUTH_ENABLED", health["auth"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(fixture.Host.Log, "WEBSITE_AUTH_ENABLED is not True"));
    }
}
