using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using UpmDurable.Core.Json;

namespace UpmDurable.Api;

/// <summary>
/// The OpenAPI 3.1 document of the API, generated from <see cref="ApiRoutes"/>: JSON schemas come from the C# records
/// through <see cref="JsonSchemaExporter"/> with <see cref="UpmJson.Options"/> (snake_case, as the API writes them).
/// </summary>
public static class OpenApiDocument
{
    /// <summary>The name of the RFC 7807 problem schema under <c>components/schemas</c>.</summary>
    public const string ProblemSchema = "ProblemDetails";

    static readonly Lazy<string> Cached = new(() => Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    // One document per set of enabled providers (a host has one set; tests build a few).
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> ByProviders = new(StringComparer.Ordinal);

    /// <summary>The document of every route, whichever provider it needs, as JSON text (built once).</summary>
    public static string Json => Cached.Value;

    /// <summary>The document of the routes a host running <paramref name="enabledProviders"/> serves, as JSON text (built once per set).</summary>
    public static string JsonFor(IReadOnlySet<string> enabledProviders) =>
        ByProviders.GetOrAdd(
            string.Join(',', enabledProviders.Order(StringComparer.Ordinal)),
            _ => Build(enabledProviders).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>GET /api/openapi.json on a host running <paramref name="enabledProviders"/>.</summary>
    public static ApiResult Result(IReadOnlySet<string> enabledProviders) =>
        ApiResult.Text(200, JsonFor(enabledProviders), "application/json; charset=utf-8").WithHeader("Cache-Control", "no-cache");

    /// <summary>Builds the document: of every route, or of those a host running <paramref name="enabledProviders"/> serves.</summary>
    public static JsonObject Build(IReadOnlySet<string>? enabledProviders = null)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            [ProblemSchema] = Problem(),
        };
        var paths = new JsonObject();
        foreach (ApiRoute route in ApiRoutes.Api.Where(r => enabledProviders is null || r.IsServedWith(enabledProviders)))
        {
            if (paths[route.Path] is not JsonObject item)
            {
                item = [];
                paths[route.Path] = item;
            }

            item[route.Method.ToLowerInvariant()] = Operation(route, schemas);
        }

        var components = new JsonObject
        {
            ["schemas"] = new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
            ["securitySchemes"] = new JsonObject
            {
                ["bearer"] = new JsonObject
                {
                    ["type"] = "http",
                    ["scheme"] = "bearer",
                    ["description"] = "An API key of Upm:ApiKeys (`Authorization: Bearer <key>`); in Azure, App Service Authentication (Entra ID) instead. Roles: submitter, approver, auditor, admin (admin has every role).",
                },
            },
        };

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "UpmDurable API",
                ["version"] = typeof(OpenApiDocument).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                ["description"] = "Durable change orchestration (Universal Provisioning Model v2): plan → pre-flight & approvals → execute → verify → audit & rollback. " +
                    "JSON is snake_case; every error is an RFC 7807 application/problem+json document whose `errors` object names each bad field. " +
                    "No key → 401, wrong role → 403, a change of another tenant or one the caller may not read → 404.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = components,
        };
    }

    static JsonObject Operation(ApiRoute route, SortedDictionary<string, JsonNode> schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = route.OperationId,
            ["summary"] = route.Summary,
            ["tags"] = new JsonArray(Tag(route.Path)),
            ["x-upm-access"] = route.Access,
        };
        operation["description"] = route.Access switch
        {
            RouteAccess.None => "No authentication.",
            RouteAccess.Any => "Any authenticated caller of the tenant.",
            RouteAccess.Signature => "Authenticated by the webhook's HMAC signature, not by a key.",
            _ => $"Role: {route.Access.Replace("|", " or ", StringComparison.Ordinal)}.",
        };
        operation["security"] = route.Access is RouteAccess.None or RouteAccess.Signature
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });

        var parameters = new JsonArray();
        foreach (string name in route.PathParameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = name switch
                {
                    "id" => "The change id (chg-…).",
                    "seq" => "The record's sequence number, from 1.",
                    "provider" => "generic, github, servicenow or jira.",
                    _ => name,
                },
                ["schema"] = name == "provider"
                    ? new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Webhooks.WebhookChannels.Known.Select(k => (JsonNode?)k)]) }
                    : new JsonObject { ["type"] = name == "seq" ? "integer" : "string" },
            });
        }

        foreach (ApiParameter p in route.Parameters)
        {
            var schema = new JsonObject { ["type"] = p.Type };
            if (p.Enum is not null)
            {
                schema["enum"] = new JsonArray([.. p.Enum.Select(e => (JsonNode?)e)]);
            }

            parameters.Add(new JsonObject { ["name"] = p.Name, ["in"] = p.In, ["required"] = p.Required, ["description"] = p.Description, ["schema"] = schema });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.Request is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = !route.RequestOptional,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(route.Request, schemas) } },
            };
        }

        var responses = new JsonObject();
        foreach (int status in new[] { route.Status }.Concat(route.AlsoStatus))
        {
            var content = new JsonObject();
            if (route.Response is not null)
            {
                content["application/json"] = new JsonObject { ["schema"] = Ref(route.Response, schemas) };
            }

            foreach (ApiContent other in route.OtherContent)
            {
                content[other.ContentType] = new JsonObject
                {
                    ["schema"] = other.Binary
                        ? new JsonObject { ["type"] = "string", ["contentMediaType"] = other.ContentType }
                        : other.ContentType == "application/json" ? new JsonObject { ["type"] = "object" } : new JsonObject { ["type"] = "string" },
                };
            }

            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = route.OtherContent.Count > 0 && route.Response is null ? string.Join(" ", route.OtherContent.Select(c => c.Description)) : StatusText(status),
                ["content"] = content,
            };
        }

        foreach (ApiAnswer answer in route.OtherAnswers)
        {
            responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = answer.Description,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(answer.Response, schemas) } },
            };
        }

        foreach (int status in route.AllProblems)
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = StatusText(status),
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{ProblemSchema}" } } },
            };
        }

        operation["responses"] = responses;
        return operation;
    }

    static string Tag(string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 1 ? segments[1] switch
        {
            "changes" when segments.Length > 3 && segments[3] is "evidence" => "evidence",
            "changes" when segments.Length > 3 && segments[3] is "approvals" => "approvals",
            "changes" when segments.Length > 3 && segments[3] is "drift" => "drift",
            "changes" when segments.Length > 3 && ApiRoutes.OperatorActions.Contains(segments[3]) => "operator",
            "webhooks" => "approvals",
            "openapi.json" => "meta",
            "health" => "meta",
            "kpis" or "scorecard" => "reporting",
            var other => other,
        } : "meta";
    }

    static JsonObject Ref(Type type, SortedDictionary<string, JsonNode> schemas)
    {
        string name = type.Name;
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = Schema(type, name);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
    }

    /// <summary>The JSON schema of a type as the API writes it, with its recursive references made absolute within the document.</summary>
    public static JsonNode Schema(Type type, string name)
    {
        JsonNode schema = UpmJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        Rebase(schema, $"#/components/schemas/{name}");
        OptionalWhenNullable(schema);
        if (type == typeof(WebhookPayload) && schema is JsonObject payload)
        {
            payload.Remove("additionalProperties");
            payload["description"] = "The provider's own payload; see docs/webhooks.md for how each provider's fields map to a decision.";
        }

        return schema;
    }

    // The exporter lists every constructor parameter as required, but a null field is left out of what we write
    // (WhenWritingNull) and may be left out of what clients send: only non-nullable fields stay required.
    static void OptionalWhenNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["required"] is JsonArray required && obj["properties"] is JsonObject properties)
                {
                    var kept = required.Select(r => r!.GetValue<string>()).Where(p => !Nullable(properties[p])).ToList();
                    if (kept.Count == 0)
                    {
                        obj.Remove("required");
                    }
                    else
                    {
                        obj["required"] = new JsonArray([.. kept.Select(k => (JsonNode?)k)]);
                    }
                }

                foreach (var (_, child) in obj.ToList())
                {
                    OptionalWhenNullable(child);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? child in array)
                {
                    OptionalWhenNullable(child);
                }

                break;
        }
    }

    static bool Nullable(JsonNode? property) =>
        property?["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    // JsonSchemaExporter points recursive types at "#/..." of the type's own schema; in components that root moves.
    static void Rebase(JsonNode? node, string root)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue(out string? target) && target.StartsWith('#'))
                {
                    obj["$ref"] = root + target[1..];
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Rebase(child, root);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? child in array)
                {
                    Rebase(child, root);
                }

                break;
        }
    }

    static JsonNode Problem()
    {
        JsonNode schema = Schema(typeof(ApiResult.ProblemBody), ProblemSchema);
        schema["description"] = "RFC 7807 problem details. `errors` maps each bad field (snake_case path, `$` for the whole body) to what is wrong with it.";
        return schema;
    }

    static string StatusText(int status) => status switch
    {
        200 => "OK.",
        202 => "Accepted: raised to the change's orchestration.",
        400 => "Bad input: `errors` names each bad field.",
        401 => "No or unknown credentials (for webhooks: a missing, forged or stale signature).",
        403 => "The caller lacks the role, is the initiator (separation of duties) or is outside the required groups, names another tenant, or (webhooks) names an approver nobody mapped.",
        404 => "No such change in the caller's tenant (or one the caller may not read), record or provider.",
        409 => "Conflict with the change's state: not awaiting approval, stale plan hash, finished, reused idempotency key or replayed delivery.",
        413 => "Request body over 1 MiB.",
        500 => "Unexpected error (logged).",
        503 => "Storage unreachable (webhooks: the provider is disabled; /api/health says why).",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
