using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.EndToEnd.Tests.Hostile;

/// <summary>
/// With App Service Authentication on (<c>WEBSITE_AUTH_ENABLED=True</c>) the header is the caller: only an object id of a
/// mapped directory is anyone, in the tenant configuration gives that directory, whatever the claims ask for.
/// </summary>
[Collection("hostile")]
public sealed class HostileClientPrincipalTests(HostileFixture fixture)
{
    [Fact]
    public async Task Principals_without_an_object_id_of_a_mapped_directory_are_nobody()
    {
        var refused = new Dictionary<string, string>
        {
            ["the issue's forgery"] = ClientPrincipalRequests.Mallory,
            ["an unmapped directory"] = ClientPrincipalRequests.Entra("oid-eve", "0bad0bad-other-directory", "Eve", ("roles", "admin")),
            ["an unmapped directory naming acme"] = ClientPrincipalRequests.Entra("oid-eve", "0bad0bad-other-directory", "Eve", ("roles", "admin"), ("upm_tenant", "acme")),
            ["the mapped directory escaping to globex"] = ClientPrincipalRequests.Entra("oid-eve", HostileFixture.AcmeDirectory, "Eve", ("roles", "admin"), ("upm_tenant", "globex")),
            ["no object id"] = ClientPrincipalRequests.Header((ClientPrincipalRequests.TenantId, HostileFixture.AcmeDirectory), ("name", "erin"), ("roles", "admin")),
        };

        var failures = new List<string>();
        foreach ((string what, string header) in refused)
        {
            foreach ((HttpMethod method, string path) in new[] { (HttpMethod.Get, "/api/changes"), (HttpMethod.Post, "/api/drift/reconcile") })
            {
                var (status, _) = await ClientPrincipalRequests.SendAsync(fixture.Host, method, path, header);
                if (status != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{what}: {method} {path} answered {(int)status}, expected 401");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_mapped_principal_is_its_object_id_with_its_name_beside_it()
    {
        var (_, health) = await fixture.Api.SendAsync(HttpMethod.Get, "/api/health", null);
        Assert.Equal("trusted", health!["auth"]!["app_service_principal"]!.GetValue<string>());

        string oid = "oid-" + ChangeClient.Suffix();
        string ann = ClientPrincipalRequests.Entra(oid, HostileFixture.AcmeDirectory, "Ann Example", ("roles", "submitter"), ("groups", "platform"));
        var (submitted, accepted) = await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Post, "/api/changes", ann, json: ChangeClient.SampleChange(ChangeClient.Suffix()).ToJsonString());
        Assert.True(submitted == HttpStatusCode.Accepted, $"submit answered {submitted}: {accepted}");
        string id = accepted!["change_id"]!.GetValue<string>();

        var (read, record) = await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Get, $"/api/changes/{id}", ann);
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal((oid, "Ann Example", "acme"), (record!["initiator"]!.GetValue<string>(), record["initiator_name"]!.GetValue<string>(), record["tenant"]!.GetValue<string>()));

        // Someone else of the same name is someone else: not the initiator, so the team change is not theirs to read.
        string namesake = ClientPrincipalRequests.Entra("oid-" + ChangeClient.Suffix(), HostileFixture.AcmeDirectory, "Ann Example", ("roles", "submitter"));
        Assert.Equal(HttpStatusCode.NotFound, (await ClientPrincipalRequests.SendAsync(fixture.Host, HttpMethod.Get, $"/api/changes/{id}", namesake)).Status);

        // Nothing of it runs: an admin stops it.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Api.SendAsync(HttpMethod.Post, $"/api/changes/{id}/abort", ChangeClient.Admin, new JsonObject { ["reason"] = "identity test" }.ToJsonString())).Status);
    }
}
