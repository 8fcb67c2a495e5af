using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using UpmDurable.Api;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// <see cref="CallerGate"/> alone, over an API key resolver and changes held in memory (no host, no storage): every route of
/// <see cref="ApiRoutes"/> that needs a caller, against every role, no or a bad identity, another tenant, and forged fields.
/// </summary>
public sealed class CallerGateTests
{
    const string Acme = "acme";
    const string Globex = "globex";
    const string AcmeChange = "chg-00a1";
    const string GlobexChange = "chg-00b2";

    /// <summary>One API key per role of acme, one without a role, and an admin of another tenant.</summary>
    static readonly ApiKeyEntry[] Keys =
    [
        Key("alice", Acme, UpmPrincipal.Submitter),
        Key("bob", Acme, UpmPrincipal.Approver, "platform-owners"),
        Key("dave", Acme, UpmPrincipal.Auditor),
        Key("root", Acme, UpmPrincipal.Admin),
        Key("nora", Acme, null),
        Key("eve", Globex, UpmPrincipal.Admin),
    ];

    static readonly string[] AcmeCallers = ["alice", "bob", "dave", "root", "nora"];

    /// <summary>
    /// Who each kind of access admits and the roles a refusal names, written out here rather than derived from the catalog:
    /// the gate's rule is what is tested. Admin holds every role.
    /// </summary>
    static readonly Dictionary<string, (string[] Admitted, string Needs)> Expected = new(StringComparer.Ordinal)
    {
        [RouteAccess.Any] = (["alice", "bob", "dave", "root", "nora"], "(never refused)"),
        [UpmPrincipal.Submitter] = (["alice", "root"], "submitter"),
        [UpmPrincipal.Approver] = (["bob", "root"], "approver"),
        [UpmPrincipal.Auditor] = (["dave", "root"], "auditor"),
        [UpmPrincipal.Admin] = (["root"], "admin"),
        [UpmPrincipal.Approver + "|" + UpmPrincipal.Admin] = (["bob", "root"], "approver"),
    };

    /// <summary>What the in-memory store was asked for: (tenant, change id).</summary>
    readonly List<(string Tenant, string ChangeId)> lookups = [];

    readonly CallerGate gate;

    public CallerGateTests()
    {
        ChangeRecord[] stored = [Change(AcmeChange, Acme, "team"), Change(GlobexChange, Globex, "team"), Change("chg-00c3", Acme, "private")];
        gate = new CallerGate(new PrincipalResolver(Keys), new VisibleChanges((tenant, id, _) =>
        {
            lookups.Add((tenant, id));
            return Task.FromResult(stored.FirstOrDefault(c => c.Tenant == tenant && c.ChangeId == id));
        }));
    }

    public static TheoryData<string> GatedRoutes() => [.. ApiRoutes.All.Where(NeedsCaller).Select(r => r.OperationId)];

    public static TheoryData<string> ChangeRoutes() => [.. ApiRoutes.All.Where(r => NeedsCaller(r) && r.PathParameters.Contains("id")).Select(r => r.OperationId)];

    [Fact]
    public void Every_kind_of_access_the_catalog_declares_has_its_expected_callers_here()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), ApiRoutes.All.Where(NeedsCaller).Select(r => r.Access).Distinct().Order(StringComparer.Ordinal));
        Assert.True(ApiRoutes.All.Count(NeedsCaller) >= 15, "the catalog's gated routes were not found");
    }

    [Theory]
    [MemberData(nameof(GatedRoutes))]
    public void Each_caller_is_admitted_exactly_where_the_route_s_access_names_its_role(string operationId)
    {
        var (admitted, needs) = Expected[ApiRoutes.ByOperation(operationId).Access];
        foreach (string caller in AcmeCallers)
        {
            Admission admission = gate.Check(Request($"Bearer {caller}-key"), operationId);

            if (admitted.Contains(caller))
            {
                UpmPrincipal principal = Assert.IsType<Admission.Admitted>(admission).Principal;
                ApiKeyEntry key = Keys.Single(k => k.Principal == caller);
                Assert.Equal((caller, Acme, Joined(key.Roles), Joined(key.Groups)), (principal.Id, principal.Tenant, Joined(principal.Roles), Joined(principal.Groups)));
            }
            else
            {
                ApiResult.ProblemBody problem = AssertRefused(admission, 403, "Forbidden.");
                Assert.Equal($"This route needs the role {needs}.", problem.Detail);
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer ALICE-KEY")]
    [InlineData("alice-key")]
    [InlineData("Basic YWxpY2U6YWxpY2Uta2V5")]
    [InlineData("Token alice-key")]
    public void A_missing_or_invalid_identity_is_refused_with_401_and_a_bearer_challenge_on_every_route(string? authorization)
    {
        foreach (ApiRoute route in ApiRoutes.All.Where(NeedsCaller))
        {
            Admission admission = gate.Check(Request(authorization), route.OperationId);

            ApiResult.ProblemBody problem = AssertRefused(admission, 401, "Authentication required.");
            Assert.Equal("Send 'Authorization: Bearer <api key>'.", problem.Detail);
            Assert.Equal("Bearer", ((Admission.Refused)admission).Problem.Headers["WWW-Authenticate"]);
        }
    }

    [Fact]
    public void An_over_long_bearer_is_refused_before_it_is_hashed_even_if_its_hash_were_configured()
    {
        string longest = new('k', 512), overLong = new('k', 513);
        var resolver = new PrincipalResolver([Key("longest", Acme, UpmPrincipal.Admin, key: longest), Key("over", Acme, UpmPrincipal.Admin, key: overLong)]);
        var longKeys = new CallerGate(resolver, new VisibleChanges((_, _, _) => Task.FromResult<ChangeRecord?>(null)));

        Assert.Equal("longest", Assert.IsType<Admission.Admitted>(longKeys.Check(Request($"Bearer {longest}"), "reconcileDrift")).Principal.Id);
        AssertRefused(longKeys.Check(Request($"Bearer {overLong}"), "reconcileDrift"), 401, "Authentication required.");
    }

    [Theory]
    [InlineData("getHealth")]
    [InlineData("getOpenApiDocument")]
    [InlineData("getEvidencePublicKey")]
    [InlineData("getDashboard")]
    [InlineData("getDashboardAsset")]
    [InlineData("receiveApprovalWebhook")]
    [InlineData("noSuchRoute")]
    [InlineData("ListChanges")]
    public void An_operation_that_needs_no_caller_or_is_not_in_the_catalog_is_no_question_for_the_gate(string operationId)
    {
        var thrown = Assert.Throws<ArgumentException>(() => gate.Check(Request("Bearer root-key"), operationId));

        Assert.Equal("operationId", thrown.ParamName);
    }

    [Theory]
    [MemberData(nameof(ChangeRoutes))]
    public async Task A_change_of_another_tenant_is_not_found_and_never_read_in_that_tenant(string operationId)
    {
        // eve is an admin, of globex: acme's change is not hers to see under any role.
        ApiResult answer = await gate.ForChangeAsync(Request("Bearer eve-key"), operationId, AcmeChange, Unreachable);

        AssertProblem(answer, 404, "Change not found.");
        Assert.Equal([(Globex, AcmeChange)], lookups);

        // Her own tenant's change reaches the handler, as her.
        ApiResult own = await gate.ForChangeAsync(Request("Bearer eve-key"), operationId, GlobexChange, (principal, record) =>
            Task.FromResult(ApiResult.Json(200, new { principal.Id, record.Tenant })));
        Assert.Equal(200, own.Status);
        Assert.Equal(new { Id = "eve", Tenant = Globex }, own.Body);
    }

    [Theory]
    [MemberData(nameof(ChangeRoutes))]
    public async Task A_refused_caller_never_reaches_the_store(string operationId)
    {
        AssertProblem(await gate.ForChangeAsync(Request(null), operationId, AcmeChange, Unreachable), 401, "Authentication required.");
        AssertProblem(await gate.ForChangeAsync(Request("Bearer not-a-key"), operationId, AcmeChange, Unreachable), 401, "Authentication required.");
        string[] admitted = Expected[ApiRoutes.ByOperation(operationId).Access].Admitted;
        foreach (string caller in AcmeCallers.Where(c => !admitted.Contains(c)))
        {
            AssertProblem(await gate.ForChangeAsync(Request($"Bearer {caller}-key"), operationId, AcmeChange, Unreachable), 403, "Forbidden.");
        }

        Assert.Empty(lookups);
    }

    [Fact]
    public async Task A_malformed_change_id_is_not_found_without_a_read_and_an_unseen_change_of_the_tenant_is_404_not_403()
    {
        foreach (string id in new[] { "../chg-00a1", "CHG-00A1", "chg-", "chg-00a1/evidence", "chg-00a1 ", "chg-" + new string('a', 61), "00a1" })
        {
            AssertProblem(await gate.ForChangeAsync(Request("Bearer root-key"), "getChange", id, Unreachable), 404, "Change not found.");
        }

        Assert.Empty(lookups);

        // chg-00c3 is private to bob's group: nora, same tenant, is told it does not exist.
        AssertProblem(await gate.ForChangeAsync(Request("Bearer nora-key"), "getChange", "chg-00c3", Unreachable), 404, "Change not found.");
        Assert.Equal(200, (await gate.ForChangeAsync(Request("Bearer bob-key"), "getChange", "chg-00c3", (_, _) => Task.FromResult(ApiResult.Json(200, new { })))).Status);
    }

    [Fact]
    public async Task Request_fields_cannot_raise_the_caller_s_role_or_change_its_tenant()
    {
        // alice (acme submitter) claims admin of globex in every field a request carries besides her key.
        HttpRequest Forged() => Request("Bearer alice-key", forge: true);

        AssertRefused(gate.Check(Forged(), "reconcileDrift"), 403, "Forbidden.");
        AssertRefused(gate.Check(Forged(), "getEvidencePack"), 403, "Forbidden.");
        AssertRefused(gate.Check(Forged(), "pauseChange"), 403, "Forbidden.");
        UpmPrincipal principal = Assert.IsType<Admission.Admitted>(gate.Check(Forged(), "listChanges")).Principal;
        Assert.Equal(("alice", Acme, UpmPrincipal.Submitter), (principal.Id, principal.Tenant, Joined(principal.Roles)));

        AssertProblem(await gate.ForChangeAsync(Forged(), "getChange", GlobexChange, Unreachable), 404, "Change not found.");
        Assert.Equal([(Acme, GlobexChange)], lookups);

        // A second Authorization value does not add the admin's key to hers.
        HttpRequest twoKeys = Request(null);
        twoKeys.Headers.Authorization = new StringValues(["Bearer alice-key", "Bearer root-key"]);
        AssertRefused(gate.Check(twoKeys, "reconcileDrift"), 401, "Authentication required.");
        AssertRefused(gate.Check(Request("Bearer alice-key, Bearer root-key"), "listChanges"), 401, "Authentication required.");
    }

    static string Joined(IEnumerable<string> values) => string.Join(",", values);

    static bool NeedsCaller(ApiRoute route) => route.Access is not (RouteAccess.None or RouteAccess.Signature);

    static ApiKeyEntry Key(string principal, string tenant, string? role, string? group = null, string? key = null) => new()
    {
        Hash = PrincipalResolver.HashKey(key ?? principal + "-key"),
        Principal = principal,
        Tenant = tenant,
        Roles = role is null ? [] : [role],
        Groups = group is null ? [] : [group],
    };

    static ChangeRecord Change(string id, string tenant, string visibility) => new()
    {
        ChangeId = id,
        Tenant = tenant,
        Initiator = "someone-else",
        Status = ChangeStatuses.Running,
        Phase = Phases.Execute,
        SubmittedAt = DateTimeOffset.UnixEpoch,
        Intent = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(
            $$$"""{"request": "ns", "tenant": "{{{tenant}}}", "visibility": "{{{visibility}}}", "target": {"resources": [{"type": "k8s_namespace", "name": "ns1"}]}, "approvals": {"groups": ["platform-owners"]}}""",
            UpmJson.StrictRequest)),
    };

    static HttpRequest Request(string? authorization, bool forge = false)
    {
        var context = new DefaultHttpContext();
        HttpRequest request = context.Request;
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        if (forge)
        {
            request.Headers["X-Upm-Tenant"] = Globex;
            request.Headers["X-Upm-Role"] = UpmPrincipal.Admin;
            request.Headers["X-Upm-Principal"] = "root";
            request.Headers["X-Forwarded-User"] = "root";
            request.Headers["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                """{"claims": [{"typ": "roles", "val": "admin"}, {"typ": "upm_tenant", "val": "globex"}, {"typ": "name", "val": "root"}]}"""));
            request.QueryString = new QueryString("?tenant=globex&role=admin&roles=admin&principal=root");
            request.ContentType = "application/json";
            request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"tenant": "globex", "roles": ["admin"], "initiator": "root", "approver": "root"}"""));
        }

        return request;
    }

    static Task<ApiResult> Unreachable(UpmPrincipal principal, ChangeRecord record) =>
        throw new InvalidOperationException($"The handler ran for {principal.Id} on {record.Tenant}/{record.ChangeId}.");

    static ApiResult.ProblemBody AssertRefused(Admission admission, int status, string title) =>
        AssertProblem(Assert.IsType<Admission.Refused>(admission).Problem, status, title);

    static ApiResult.ProblemBody AssertProblem(ApiResult answer, int status, string title)
    {
        Assert.Equal((status, "application/problem+json"), (answer.Status, answer.ContentType));
        var problem = Assert.IsType<ApiResult.ProblemBody>(answer.Body);
        Assert.Equal((status, title, $"https://upmdurable.dev/problems/{status}"), (problem.Status, problem.Title, problem.Type));
        return problem;
    }
}
