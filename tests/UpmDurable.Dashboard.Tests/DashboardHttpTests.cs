using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UpmDurable.Api;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Dashboard.Tests;

/// <summary>The dashboard and openapi.json as the local host serves them, and real answers against the documented schemas.</summary>
[Collection("dashboard")]
public sealed class DashboardHttpTests(DashboardFixture fixture)
{
    readonly LocalHostProcess host = fixture.Host;

    [Fact]
    public async Task Dashboard_page_and_assets_are_served_with_a_csp_that_allows_no_inline_script_or_other_origin()
    {
        using HttpResponseMessage page = await host.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        string csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        string html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=""/dashboard/)", html); // every script is a same-origin file
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        // One entry module; it imports the others, each a file of the embedded allow-list, never one from elsewhere.
        Assert.Equal(["app.js"], Regex.Matches(html, @"<script\b[^>]*>").Select(m => Regex.Match(m.Value, @"^<script type=""module"" src=""/dashboard/([a-z-]+\.js)"">$").Groups[1].Value));
        Assert.Contains("app.css", DashboardPage.Files);
        Assert.True(DashboardPage.Files.Count(f => f.EndsWith(".js", StringComparison.Ordinal)) > 1, "the dashboard script is split into modules");
        foreach (string file in DashboardPage.Files)
        {
            using HttpResponseMessage asset = await host.Http.GetAsync($"/dashboard/{file}");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", asset.Content.Headers.ContentType!.MediaType);
            string content = await asset.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(", content); // API data never becomes markup
            foreach (Match import in Regex.Matches(content, @"^import\b.*$", RegexOptions.Multiline))
            {
                string target = Regex.Match(import.Value, @" from '\./([a-z-]+\.js)';$").Groups[1].Value;
                Assert.True(DashboardPage.Files.Contains(target), $"{file}: '{import.Value}' does not import a dashboard file");
            }
        }

        using HttpResponseMessage missing = await host.Http.GetAsync("/dashboard/secrets.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Host_serves_the_generated_openapi_document_without_a_key()
    {
        using HttpResponseMessage response = await host.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(OpenApiDocument.Json, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Real_answers_carry_only_fields_their_documented_schema_declares()
    {
        // Submit, read, list, decide and verify for real; each answer's fields must be in its schema.
        string suffix = Guid.NewGuid().ToString("N")[..10];
        var (status, accepted) = await SendAsync(HttpMethod.Post, "/api/changes", "demo-submitter-key", BrowserFlowTests.SampleChange(suffix).ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, status);
        AssertFits(accepted!, "/api/changes", "post");
        string id = accepted!["change_id"]!.GetValue<string>();

        JsonNode record = await WaitForStatusAsync(id, "awaiting_approval");
        AssertFits(record, "/api/changes/{id}", "get");

        var (_, list) = await SendAsync(HttpMethod.Get, "/api/changes?limit=5", "demo-submitter-key");
        AssertFits(list!, "/api/changes", "get");

        var (decided, decision) = await SendAsync(HttpMethod.Post, $"/api/changes/{id}/approvals", "demo-approver-key",
            JsonSerializer.Serialize(new { decision = "reject", plan_hash = record["approvals"]!["plan_hash"]!.GetValue<string>(), comment = "schema test" }));
        Assert.Equal(HttpStatusCode.Accepted, decided);
        AssertFits(decision!, "/api/changes/{id}/approvals", "post");

        await WaitForStatusAsync(id, "rejected");
        var (_, verification) = await SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", "demo-auditor-key");
        AssertFits(verification!, "/api/changes/{id}/evidence/verify", "get");
        AssertFits((await SendAsync(HttpMethod.Get, "/api/health", null)).Body!, "/api/health", "get");
        AssertFits((await SendAsync(HttpMethod.Get, "/api/evidence/public-key", null)).Body!, "/api/evidence/public-key", "get");
        AssertFits((await SendAsync(HttpMethod.Post, "/api/plans", "demo-submitter-key", BrowserFlowTests.SampleChange(suffix).ToJsonString())).Body!, "/api/plans", "post");

        var (bad, problem) = await SendAsync(HttpMethod.Post, "/api/changes", "demo-submitter-key", "{\"tenant\": 5}");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        AssertFitsSchema(problem!, "ProblemDetails");
    }

    static void AssertFits(JsonNode answer, string path, string method) => AssertFitsSchema(answer, OpenApiDocumentTests.SchemaName(path, method));

    static void AssertFitsSchema(JsonNode answer, string schemaName)
    {
        JsonNode schema = JsonNode.Parse(OpenApiDocument.Json)!["components"]!["schemas"]![schemaName]!;
        var declared = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        var extra = answer.AsObject().Select(p => p.Key).Where(k => !declared.Contains(k)).ToList();
        Assert.True(extra.Count == 0, $"{schemaName} does not declare {string.Join(", ", extra)} (answer: {answer.ToJsonString()[..Math.Min(400, answer.ToJsonString().Length)]})");
    }

    async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        using HttpRequestMessage request = LocalHostProcess.Request(method, path, key, json);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    async Task<JsonNode> WaitForStatusAsync(string id, string wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var (_, record) = await SendAsync(HttpMethod.Get, $"/api/changes/{id}", "demo-submitter-key");
            if (record?["status"]?.GetValue<string>() == wanted)
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"change {id} did not reach {wanted}: {record}");
            await Task.Delay(200);
        }
    }
}
