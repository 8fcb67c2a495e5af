using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UpmDurable.Testing;
using UpmDurable.Api;
using Xunit;

namespace UpmDurable.Dashboard.Tests;

/// <summary>The OpenAPI document generated from the route catalog covers the API contract, with schemas and problem types.</summary>
public sealed partial class OpenApiDocumentTests
{
    static readonly JsonObject Document = JsonNode.Parse(OpenApiDocument.Json)!.AsObject();

    /// <summary>(METHOD, path) of every route in the table of docs/contract/api.md.</summary>
    public static IReadOnlyList<(string Method, string Path)> ContractRoutes()
    {
        // The contract's original is the spec folder's api.md beside the repository; a copy is committed under docs/contract so a clean
        // clone (CI) checks against it too, and the copy must equal the original wherever the original is present.
        string shared = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "spec", "api.md"));
        string spec = Path.Combine(RepoPaths.Root, "docs", "contract", "api.md");
        Assert.True(File.Exists(spec), $"the API contract copy {spec} is missing (copy it from the spec folder beside the repository)");
        if (File.Exists(shared))
        {
            Assert.True(File.ReadAllText(shared) == File.ReadAllText(spec), $"{spec} differs from {shared}: copy the contract again");
        }

        var routes = new List<(string, string)>();
        foreach (string line in File.ReadLines(spec))
        {
            Match row = ContractRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            // "/api/changes/{id}/pause · resume · abort · rollback": one route per action.
            string[] parts = row.Groups["route"].Value.Split('·', StringSplitOptions.TrimEntries);
            string first = parts[0];
            routes.Add((row.Groups["method"].Value, first));
            string parent = first[..first.LastIndexOf('/')];
            routes.AddRange(parts.Skip(1).Select(action => (row.Groups["method"].Value, $"{parent}/{action}")));
        }

        return routes;
    }

    [Fact]
    public void Every_route_of_the_api_contract_is_in_the_document()
    {
        var routes = ContractRoutes();
        Assert.True(routes.Count >= 18, $"parsed only {routes.Count} routes from api.md");
        JsonObject paths = Document["paths"]!.AsObject();
        var missing = routes.Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "missing from openapi.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_operation_has_an_id_a_success_answer_and_problem_answers_as_rfc7807()
    {
        var ids = new HashSet<string>();
        foreach (var (path, item) in Document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.True(ids.Add(operation!["operationId"]!.GetValue<string>()), $"duplicate operationId at {method} {path}");
                JsonObject responses = operation["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2'));
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    Assert.Equal("#/components/schemas/ProblemDetails", response!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
                }

                foreach (string name in Regex.Matches(path, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
                {
                    Assert.Contains(operation["parameters"]!.AsArray(), p => p!["in"]!.GetValue<string>() == "path" && p["name"]!.GetValue<string>() == name);
                }
            }
        }
    }

    [Fact]
    public void Routes_needing_a_role_declare_bearer_security_401_and_403_and_public_ones_none()
    {
        JsonObject paths = Document["paths"]!.AsObject();
        JsonNode submit = paths["/api/changes"]!["post"]!;
        Assert.Equal("bearer", submit["security"]![0]!.AsObject().Single().Key);
        Assert.NotNull(submit["responses"]!["401"]);
        Assert.NotNull(submit["responses"]!["403"]);
        Assert.NotNull(submit["responses"]!["400"]);
        Assert.Equal("submitter", submit["x-upm-access"]!.GetValue<string>());

        JsonNode health = paths["/api/health"]!["get"]!;
        Assert.Empty(health["security"]!.AsArray());
        Assert.Null(health["responses"]!["401"]);
        Assert.NotNull(health["responses"]!["503"]);
        Assert.Empty(paths["/api/webhooks/approvals/{provider}"]!["post"]!["security"]!.AsArray());
    }

    [Fact]
    public void Schemas_are_generated_from_the_records_in_snake_case_and_every_reference_resolves()
    {
        JsonObject schemas = Document["components"]!["schemas"]!.AsObject();
        JsonObject request = schemas["ChangeRequest"]!["properties"]!.AsObject();
        Assert.Contains("resources_needed", request.Select(p => p.Key));
        Assert.Contains("cluster_endpoint_id", schemas["ChangeRequest"]!["properties"]!["target"]!.ToJsonString(), StringComparison.Ordinal);
        JsonObject record = schemas["ChangeRecord"]!["properties"]!.AsObject();
        Assert.Superset(new HashSet<string> { "change_id", "status", "phase", "plan", "preflight", "approvals", "execution", "verification", "rollback", "audit_trace", "evidence" }, record.Select(p => p.Key).ToHashSet());
        Assert.Equal(["decision", "plan_hash", "comment"], schemas["ApprovalRequest"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Null(schemas["ApprovalRequest"]!["required"]); // every field may be left out (and is then named in the 400)
        Assert.DoesNotContain("continuation", schemas["ChangeList"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("changes", schemas["ChangeList"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Superset(new HashSet<string> { "type", "title", "status", "detail", "errors" }, schemas["ProblemDetails"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Superset(new HashSet<string> { "change_id", "status", "mode", "interval", "checked_at", "next_check_at", "baseline_hash", "current_hash", "resources_checked", "diff", "iterations", "remediation_change_id" },
            schemas[SchemaName("/api/changes/{id}/drift", "get")]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet());

        foreach (string reference in References(Document))
        {
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            JsonNode? target = Document;
            foreach (string segment in reference[2..].Split('/'))
            {
                target = target?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            Assert.True(target is not null, $"{reference} does not resolve");
        }
    }

    [Fact]
    public void Document_is_openapi_3_1_and_served_text_is_stable()
    {
        Assert.Equal("3.1.0", Document["openapi"]!.GetValue<string>());
        Assert.Equal(OpenApiDocument.Json, OpenApiDocument.Build().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The component name of the JSON answer of an operation.</summary>
    public static string SchemaName(string path, string method)
    {
        JsonNode operation = Document["paths"]![path]![method]!;
        JsonObject ok = operation["responses"]!.AsObject().First(r => r.Key.StartsWith('2')).Value!.AsObject();
        return ok["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
    }

    static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    [GeneratedRegex(@"^\|\s*(?<method>GET|POST|PUT|PATCH|DELETE)\s*\|\s*(?<route>/api/[^|]+?)\s*\|")]
    private static partial Regex ContractRow();
}
