using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using UpmDurable.Testing;
using UpmDurable.Core.Signing;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>One generated request. <see cref="Raw"/> ones go over a bare socket; <see cref="Injection"/> ones must be refused with 400.</summary>
public sealed record FuzzCase(string Route, string Method, string Path, byte[]? Body, string? ContentType, List<(string Name, string Value)> Headers, bool Raw, bool Injection)
{
    public string? Key { get; init; }
}

/// <summary>
/// A seeded generator of malformed and hostile requests over every route: wrong types, huge strings and arrays, deep
/// nesting, invalid UTF-8, lone surrogates, path traversal, shell metas in names and properties, oversized bodies, bad
/// headers and query strings, forged and replayed webhooks. Same seed → same requests.
/// </summary>
public sealed class RequestFuzzer(int seed, string changeId, string planHash)
{
    public static readonly string[] ShellInjections =
    [
        "; rm -rf /", "$(rm -rf /)", "`rm -rf /`", "| cat /etc/passwd", "a && reboot", "a || reboot", "a\nreboot", "a > /tmp/x", "a < /etc/shadow",
        "--kubeconfig=/etc/passwd", "-rf", "${IFS}reboot", "a;b", "x'y", "x\"y", "x\\y", "a\tb", "a b", "a&b", "a|b", "$HOME", "!!", "a$(id)b", "x`id`",
    ];

    public static readonly string[] Traversals =
    [
        "../../etc/passwd", "..\\..\\windows\\system32", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc", "/etc/passwd", "C:\\Windows", "..", ".", "a/../../b", "\u2025/\u2025/etc",
    ];

    static readonly string[] Weird = ["", " ", "\u0000", "\u0001\u001f", "\u202Eevil", "\uFEFF", "😀😀", "é", "\u00A0", "null", "true", "0", "-1", "NaN", "chg-../../etc/passwd"];

    static readonly string[] Keys = [ChangeClient.Submitter, ChangeClient.Approver, ChangeClient.Approver2, ChangeClient.Auditor, ChangeClient.Admin, ChangeClient.Viewer, ChangeClient.OtherTenant];

    static readonly string[] Providers = ["generic", "github", "servicenow", "jira"];

    static readonly string[] TimeValues =
    [
        "yesterday", "", "0001-01-01T00:00:00-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+14:00", "2026-13-45",
        "1e10", "P1D", "２０２６-01-01", "2026-01-01T00:00:00Z", "-2026-01-01", "2026-01-01T25:61:61Z", "0", "1/1/1",
    ];

    readonly Random random = new(seed);
    readonly List<string> deliveries = [];

    /// <summary>The next request.</summary>
    public FuzzCase Next()
    {
        int roll = random.Next(100);
        FuzzCase fuzz = roll switch
        {
            < 20 => ChangeRequestCase("POST /api/changes", "/api/changes"),
            < 38 => ChangeRequestCase("POST /api/plans", "/api/plans"),
            < 46 => Approval(),
            < 52 => Operator(),
            < 58 => Get("GET /api/changes/{id}", id => $"/api/changes/{id}"),
            < 62 => Get("GET /api/changes/{id}/plan", id => $"/api/changes/{id}/plan" + (Chance(70) ? "?format=" + Escape(Pick(["json", "mermaid", "dot", "xml", "", "JSON", .. ShellInjections, .. Traversals])) : "")),
            < 70 => List(),
            < 75 => Evidence(),
            < 79 => Since(Pick(["/api/kpis", "/api/scorecard"])),
            < 81 => new FuzzCase("GET public", "GET", Pick(["/api/health", "/api/evidence/public-key"]), null, null, [], false, false),
            < 95 => Webhook(),
            _ => Unrouted(),
        };

        if (fuzz.Raw || fuzz.Route.StartsWith("POST /api/webhooks", StringComparison.Ordinal))
        {
            return fuzz;
        }

        // Identity and headers: usually a valid key, sometimes broken, sometimes sent raw with bytes HttpClient refuses.
        string? key = fuzz.Key ?? Pick(Keys);
        var headers = new List<(string, string)>(fuzz.Headers);
        int auth = random.Next(100);
        if (auth < 80)
        {
            headers.Add(("Authorization", "Bearer " + key));
        }
        else if (auth < 95)
        {
            headers.Add(("Authorization", Pick(["Bearer", "Bearer ", "Basic ZGVtbzpkZW1v", "Bearer " + new string('k', 5000), "bearer " + key, "Bearer " + key + ", Bearer x", "Bearer demo-submitter-key ", "Token " + key, "Bearer ../../etc/passwd"])));
        }

        if (Chance(8))
        {
            headers.Add(("X-MS-CLIENT-PRINCIPAL", Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"roles","val":"admin"},{"typ":"upm_tenant","val":"acme"},{"typ":"name","val":"mallory"}]}"""))));
        }

        if (Chance(5))
        {
            headers.Add(("X-Fuzz", new string('h', random.Next(1, 16_000))));
        }

        bool raw = Chance(8);
        if (raw)
        {
            headers.Add(Pick<(string, string)>([
                ("Authorization", "Bearer d\u00e9mo-submitter-key"), ("X-Bad", "v\u00ff\u0080"), ("Idempotency-Key", "k\u00e9y"), ("Content-Type", "application/json; charset=\u00ff"),
                ("X-Long", new string('x', 40_000)), ("Content-Length", "5"), ("Transfer-Encoding", "chunked, gzip"), ("Accept", "*/*\u0001")]));
        }

        return fuzz with { Headers = headers, Raw = raw };
    }

    FuzzCase ChangeRequestCase(string route, string path)
    {
        JsonObject change = ChangeClient.SampleChange("fz" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
        var headers = new List<(string, string)>();
        bool injection = false;
        byte[]? body;
        string? contentType = "application/json";
        int kind = random.Next(100);
        switch (kind)
        {
            case < 22:
                SetRandom(change, HostileValue());
                body = Utf8(change);
                break;
            case < 42:
                string value = Pick(ShellInjections) is var meta && Chance(80) ? (Chance(50) ? "ok" + meta : meta) : Pick(Traversals);
                injection = Inject(change, value) is var (nameLike, stored) && IsHostile(stored, nameLike);
                body = Utf8(change);
                break;
            case < 47:
                RemoveRandom(change);
                body = Utf8(change);
                break;
            case < 52:
                AddUnknown(change);
                body = Utf8(change);
                break;
            case < 58:
                HugeArray(change);
                body = Utf8(change);
                break;
            case < 63:
                body = Encoding.UTF8.GetBytes(Deep(change));
                break;
            case < 68:
                body = SpliceInvalidUtf8(Utf8(change));
                break;
            case < 72:
                body = Utf8(change);
                body = Chance(50) ? body[..random.Next(body.Length)] : FlipBytes(body);
                break;
            case < 76:
                body = Encoding.UTF8.GetBytes(Pick(["[]", "null", "1", "\"x\"", "true", "", "   ", "{}", "{\"request\":", "[{}]", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "{'request':'x'}", "{\"request\":\"x\",}", "/* c */ {}"]));
                break;
            case < 78:
                change["request"] = new string('A', ChangeApiLimit + random.Next(1, 4096));
                body = Utf8(change);
                break;
            case < 83:
                body = Encoding.UTF8.GetBytes(Utf8Text(change).Replace("\"eastus\"", Pick(["\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"\\x41\"", "\"\\u12\""]), StringComparison.Ordinal));
                break;
            case < 87:
                body = Encoding.UTF8.GetBytes(Utf8Text(change).Replace("\"node_count\":2", "\"node_count\":" + Pick(["1e400", "-0", "99999999999999999999", "1.5", "NaN", "Infinity", "0x10", "+1", "2.0", "1e2"]), StringComparison.Ordinal));
                break;
            case < 90:
                body = Encoding.UTF8.GetBytes(Utf8Text(change).Replace("\"tenant\":\"acme\"", "\"tenant\":\"acme\",\"tenant\":\"globex\"", StringComparison.Ordinal));
                break;
            case < 93:
                contentType = Pick<string?>(["text/plain", "application/xml", null, "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]);
                body = Utf8(change);
                break;
            case < 96:
                headers.Add(("Idempotency-Key", Pick(["", new string('i', 201), "key-" + random.Next(5), "../../etc", "k;rm -rf /", new string('i', 200)])));
                body = Utf8(change);
                break;
            default:
                // Valid, or benignly varied: accepted requests exercise the command-line proof.
                if (Chance(50))
                {
                    change["visibility"] = Pick(["org", "team", "private"]);
                }

                body = Utf8(change);
                break;
        }

        if (Chance(1))
        {
            // Over the 1 MiB limit.
            change["request"] = new string('B', 1024 * 1024 + random.Next(1, 100_000));
            body = Utf8(change);
            injection = false;
        }

        return new FuzzCase(route, "POST", path, body, contentType, headers, false, injection)
        {
            Key = Pick([ChangeClient.Submitter, ChangeClient.Approver, ChangeClient.Admin, ChangeClient.Viewer, ChangeClient.Auditor, ChangeClient.OtherTenant]),
        };
    }

    const int ChangeApiLimit = 4000;

    FuzzCase Approval()
    {
        var body = new JsonObject { ["decision"] = Pick(["approve", "reject"]), ["plan_hash"] = Chance(50) ? planHash : "sha256:" + new string('0', 64), ["comment"] = "fuzz" };
        byte[] bytes = MutateSmall(body);
        return new FuzzCase("POST /api/changes/{id}/approvals", "POST", $"/api/changes/{Id()}/approvals", bytes, "application/json", [], false, false)
        {
            Key = Pick([ChangeClient.Approver, ChangeClient.Approver2, ChangeClient.Admin, ChangeClient.Submitter, ChangeClient.OtherTenant]),
        };
    }

    FuzzCase Operator()
    {
        string action = Pick(["pause", "resume", "abort", "rollback"]);
        byte[]? bytes = Chance(30) ? null : MutateSmall(new JsonObject { ["reason"] = "fuzz" });
        return new FuzzCase($"POST /api/changes/{{id}}/{action}", "POST", $"/api/changes/{Id()}/{action}", bytes, bytes is null ? null : "application/json", [], false, false)
        {
            Key = Pick([ChangeClient.Approver, ChangeClient.Admin, ChangeClient.Submitter, ChangeClient.Auditor, ChangeClient.OtherTenant]),
        };
    }

    FuzzCase Evidence()
    {
        string route = Pick(["GET /api/changes/{id}/evidence", "GET /api/changes/{id}/evidence/verify", "GET /api/changes/{id}/evidence/records/{seq}"]);
        string seq = Escape(Pick(["1", "0", "-1", "99999999999", "1e3", "../../x", "00000001", "2", "%00", .. Weird]) is { Length: > 0 } s ? s : "1");
        return new FuzzCase(route, "GET", route.Replace("GET ", "", StringComparison.Ordinal).Replace("{id}", Id(), StringComparison.Ordinal).Replace("{seq}", seq, StringComparison.Ordinal), null, null, [], false, false)
        {
            Key = Pick([ChangeClient.Auditor, ChangeClient.Admin, ChangeClient.Submitter, ChangeClient.OtherTenant]),
        };
    }

    FuzzCase Get(string route, Func<string, string> path) => new(route, "GET", path(Id()), null, null, [], false, false);

    FuzzCase List()
    {
        var query = new List<string>();
        int n = random.Next(0, 5);
        for (int i = 0; i < n; i++)
        {
            string name = Pick(["limit", "status", "since", "until", "continuation", "limit", "x", "status[]", "%00", "since"]);
            string value = name switch
            {
                "limit" => Pick(["abc", "-1", "0", "1", "500", "501", "99999999999999999999", "1e3", "", " 5", "५"]),
                "status" => Pick(["running", "completed", "bogus", "' or 1 eq 1 or '", "'", "Status eq 'x'", new string('s', 5000), .. Weird]),
                "since" or "until" => Pick(TimeValues),
                "continuation" => Pick(["abc", "1!8!YWNtZQ--", "\u0001", "' or ''='", new string('c', 3000), "%", "a b", "NextPartitionKey=x&NextRowKey=y", .. Traversals]),
                _ => Pick([.. Weird, .. ShellInjections]),
            };
            query.Add($"{Escape(name)}={Escape(value)}");
        }

        return new FuzzCase("GET /api/changes", "GET", "/api/changes" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, null, [], false, false);
    }

    FuzzCase Since(string path) =>
        new($"GET {path}", "GET", path + (Chance(80) ? "?since=" + Escape(Pick(TimeValues)) : ""), null, null, [], false, false) { Key = Pick([ChangeClient.Auditor, ChangeClient.Admin, ChangeClient.Submitter]) };

    FuzzCase Webhook()
    {
        string provider = Chance(85) ? Pick(Providers) : Pick(["GENERIC", "unknown", "../generic", "generic%2F..", new string('p', 500), "%00", "gitlab", .. Weird]);
        string known = Providers.Contains(provider) ? provider : "generic";
        // Vendor-shaped payloads naming the change, by a mapped approver, an unknown one or a hostile name.
        string who = Pick(["dana-hook", "bob-hook", "stranger", "Alice-HOOK", "a b", "x\ny", new string('w', 300)]);
        JsonObject payload = WebhookFixtures.Load(known switch
        {
            "github" => Pick([WebhookFixtures.GitHubReview, WebhookFixtures.GitHubDeploymentReview]),
            "jira" => WebhookFixtures.Jira,
            "servicenow" => WebhookFixtures.ServiceNow,
            _ => WebhookFixtures.Generic,
        }, changeId, planHash, who, DateTimeOffset.UtcNow.AddSeconds(Chance(80) ? 0 : -10_000));
        byte[] body = random.Next(100) switch
        {
            < 30 => Utf8(payload),
            < 60 => MutateSmall(payload),
            < 70 => Encoding.UTF8.GetBytes(Pick(["[1,2]", "\"x\"", "null", "{\"change_id\":{\"a\":1}}", "{\"deployment\":\"x\"}", "{\"issue\":[1]}", "{\"a\":1,\"a\":2}", "[]"])),
            < 80 => SpliceInvalidUtf8(Utf8(payload)),
            < 85 => Encoding.UTF8.GetBytes(Deep(payload)),
            < 87 => new byte[ChangeApiBodyLimit + random.Next(1, 50_000)],
            _ => Encoding.UTF8.GetBytes(Utf8Text(payload).Replace(changeId, Pick([new string('c', 100_000), "chg-../../etc/passwd", "", .. ShellInjections]).Replace("\"", "'", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal)),
        };

        var headers = new List<(string, string)>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string secret = LocalHostProcess.WebhookSecret(known);
        int signing = random.Next(100);
        long t = signing is >= 70 and < 80 ? now - 10_000 : now;
        string delivery = random.Next(100) switch
        {
            < 60 => Guid.NewGuid().ToString(),
            < 75 when deliveries.Count > 0 => deliveries[random.Next(deliveries.Count)],
            _ => Pick(["a/b", "a#b", "a?b", "a\\b", new string('d', 199), new string('d', 300), "../../x", "%2F", "d e l"]),
        };
        deliveries.Add(delivery);
        string signingSecret = signing < 70 || signing >= 80 && signing < 90 ? secret : "forged";
        string hubSignature = WebhookRequest.HubSignature(signingSecret, body);
        string broken = Pick(["", "sha256=", "sha1=abc", "sha256=" + new string('z', 64), "t=abc,v1=00", "v1=00", "t=1", "t=" + now + ",v1=" + new string('0', 64), "t=-1,v1=x", "t=99999999999999999999,v1=x"]);
        switch (known)
        {
            case "github":
                headers.Add(("X-Hub-Signature-256", signing < 90 ? hubSignature : broken));
                headers.Add(("X-GitHub-Delivery", delivery));
                headers.Add(("X-GitHub-Event", Pick(["pull_request_review", "deployment_review", "ping", "push", "", "../x"])));
                break;
            case "jira":
                headers.Add(("X-Hub-Signature", signing < 90 ? hubSignature : broken));
                headers.Add(("X-Atlassian-Webhook-Identifier", delivery));
                break;
            case "servicenow" when Chance(50):
                headers.Add(("Authorization", signing < 90 ? "Bearer " + (signing < 70 ? LocalHostProcess.ServiceNowToken : "forged") : Pick(["", "Basic !!", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p")), "Bearer", "Negotiate x"])));
                headers.Add(("X-Upm-Delivery", delivery));
                break;
            default:
                headers.Add(("X-Upm-Signature", signing < 90 ? WebhookRequest.UpmSignature(signingSecret, t, delivery, body) : broken));
                headers.Add(("X-Upm-Delivery", delivery));
                break;
        }

        return new FuzzCase("POST /api/webhooks/approvals/{provider}", "POST", "/api/webhooks/approvals/" + Escape(provider), body, "application/json", headers, false, false);
    }

    const int ChangeApiBodyLimit = 1024 * 1024;

    FuzzCase Unrouted()
    {
        string method = Pick(["PUT", "DELETE", "PATCH", "GET", "POST", "OPTIONS"]);
        string path = Pick(["/api/changes", "/api/plans", $"/api/changes/{changeId}", "/api/nothing", "/api", "/", "/api/changes/x/y/z/w", "/api/drift/reconcile", $"/api/changes/{changeId}/drift", "/api/webhooks/approvals", "/api/" + new string('z', 3000)]);
        return new FuzzCase($"{method} (other)", method, path, method is "GET" or "OPTIONS" ? null : "{}"u8.ToArray(), "application/json", [], false, false);
    }

    string Id()
    {
        int roll = random.Next(100);
        return roll switch
        {
            < 45 => changeId,
            < 55 => "chg-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            < 70 => Escape(Pick(Traversals)),
            < 80 => Escape(Pick(ShellInjections)),
            < 85 => "chg-" + new string('a', random.Next(61, 3000)),
            < 90 => Pick(["CHG-ABC", "chg-", "chg-XYZ", changeId.ToUpperInvariant(), changeId + "0"]),
            _ => Escape(Pick(Weird) is { Length: > 0 } w ? w : "x"),
        };
    }

    JsonNode HostileValue() => random.Next(12) switch
    {
        0 => JsonValue.Create(random.Next(-1000, 1000))!,
        1 => JsonValue.Create(random.NextDouble() * 1e12)!,
        2 => JsonValue.Create(Chance(50))!,
        3 => new JsonArray(1, "two", null),
        4 => new JsonObject { ["nested"] = new JsonObject { ["x"] = 1 } },
        5 => JsonValue.Create(new string('A', random.Next(64, 200_000)))!,
        6 => JsonValue.Create(string.Concat(Enumerable.Repeat("é😀\u202E", random.Next(1, 20_000))))!,
        7 => JsonValue.Create(Pick(ShellInjections))!,
        8 => JsonValue.Create(Pick(Traversals))!,
        9 => JsonValue.Create(Pick(Weird))!,
        10 => new JsonArray(Enumerable.Range(0, random.Next(1, 3000)).Select(i => (JsonNode?)JsonValue.Create("v" + i)).ToArray()),
        _ => JsonValue.Create("")!,
    };

    // Puts a value at a random place of the tree (an existing leaf or container).
    void SetRandom(JsonObject root, JsonNode value)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        var (parent, key) = slots[random.Next(slots.Count)];
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else if (parent is JsonArray a)
        {
            a[(int)key] = value;
        }
    }

    static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o.ToList())
            {
                slots.Add((o, k));
                if (v is not null)
                {
                    Collect(v, slots);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (int i = 0; i < a.Count; i++)
            {
                slots.Add((a, i));
                if (a[i] is { } v)
                {
                    Collect(v, slots);
                }
            }
        }
    }

    /// <summary>
    /// Must the value be refused? Anything that could change a command line (a character outside plain argv text, a
    /// leading '-' or '.') — and, in a name, any path separator. A property may hold '/' (address prefixes, images).
    /// </summary>
    static bool IsHostile(string value, bool nameLike) =>
        value.Length == 0 || !char.IsAsciiLetterOrDigit(value[0])
        || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' || !nameLike && c is ':' or '/' or '@' or '+' or '=' or ','));

    // A shell meta or traversal in a field that becomes part of a command line or a name; true when the field is a name.
    (bool NameLike, string Stored) Inject(JsonObject change, string value)
    {
        JsonArray resources = change["target"]!["resources"]!.AsArray();
        JsonObject resource = resources[random.Next(resources.Count)]!.AsObject();
        int target = random.Next(14);
        switch (target)
        {
            case 0: resource["name"] = value; break;
            case 1: resource["location"] = value; break;
            case 2: resources[1]!["resource_group"] = value; break;
            case 3: resources[2]!["cluster"] = value; break;
            case 4: resource["depends_on"] = new JsonArray(value); break;
            case 5: resources[1]!["properties"]!["node_count"] = value; break;
            case 6: resources[1]!["properties"]!["kubernetes_version"] = value; break;
            case 7: change["owner"] = value; break;
            case 8: change["target"]!["cluster_endpoint_id"] = value; break;
            case 9: change["approvals"]!["groups"] = new JsonArray(value); break;
            case 10: change["window"] = new JsonObject { ["calendar"] = value }; break;
            case 11: change["resources_needed"]![0]!["name"] = value; break;
            case 12: resources.Add(new JsonObject { ["type"] = "k8s_configmap", ["name"] = "cfg", ["namespace"] = resources[2]!["name"]!.GetValue<string>(), ["properties"] = new JsonObject { ["from_literal"] = "k=" + value } }); break;
            default: resources.Add(new JsonObject { ["type"] = "k8s_deployment", ["name"] = "web", ["namespace"] = resources[2]!["name"]!.GetValue<string>(), ["properties"] = new JsonObject { ["image"] = "nginx" + value } }); break;
        }

        return (target is not (5 or 6 or 12 or 13), target switch { 12 => "k=" + value, 13 => "nginx" + value, _ => value });
    }

    void RemoveRandom(JsonObject change)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(change, slots);
        var (parent, key) = slots[random.Next(slots.Count)];
        if (parent is JsonObject o)
        {
            o.Remove((string)key);
        }
        else if (parent is JsonArray a)
        {
            a.RemoveAt((int)key);
        }
    }

    void AddUnknown(JsonObject change)
    {
        var objects = new List<JsonObject>();
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(change, slots);
        objects.Add(change);
        objects.AddRange(slots.Select(s => s.Parent).OfType<JsonObject>().Distinct());
        objects[random.Next(objects.Count)][Pick(["colour", "__proto__", "$type", "constructor", "Request", "TENANT", "initiator", "status", "plan_hash"])] = HostileValue();
    }

    void HugeArray(JsonObject change)
    {
        int n = random.Next(201, 6000);
        JsonArray Many(Func<int, JsonNode> item) => new(Enumerable.Range(0, n).Select(i => (JsonNode?)item(i)).ToArray());
        switch (random.Next(7))
        {
            case 0: change["approvals"]!["groups"] = Many(i => "g" + i); break;
            case 1: change["target"]!["resources"] = Many(i => new JsonObject { ["type"] = "k8s_namespace", ["name"] = "n" + i }); break;
            case 2: change["variants"] = Many(_ => "canary"); break;
            case 3: change["resources_needed"] = Many(_ => new JsonObject { ["type"] = "quota", ["name"] = "cores", ["location"] = "eastus", ["min"] = 1 }); break;
            case 4: change["target"]!["resources"]![2]!["depends_on"] = Many(i => "d" + i); break;
            case 5: change["target"]!["faults"] = Many(_ => new JsonObject { ["resource"] = "x", ["on"] = "apply" }); break;
            default: change["target"]!["resources"]![1]!["properties"] = new JsonObject(Enumerable.Range(0, n).Select(i => KeyValuePair.Create("p" + i, (JsonNode?)JsonValue.Create(i)))); break;
        }
    }

    // The change with a value nested deeper than the reader allows (32), sometimes far deeper.
    string Deep(JsonObject change)
    {
        int depth = Chance(70) ? random.Next(28, 40) : random.Next(100, 20_000);
        var text = new StringBuilder();
        bool arrays = Chance(50);
        for (int i = 0; i < depth; i++)
        {
            text.Append(arrays ? "[" : "{\"a\":");
        }

        text.Append('1');
        for (int i = 0; i < depth; i++)
        {
            text.Append(arrays ? ']' : '}');
        }

        string json = Utf8Text(change);
        return Chance(50) ? json.Insert(1, "\"deep\":" + text + ",") : text.ToString();
    }

    byte[] MutateSmall(JsonObject body)
    {
        int roll = random.Next(100);
        if (roll < 35)
        {
            SetRandom(body, HostileValue());
        }
        else if (roll < 45)
        {
            AddUnknown(body);
        }
        else if (roll < 55)
        {
            return SpliceInvalidUtf8(Utf8(body));
        }
        else if (roll < 62)
        {
            return Encoding.UTF8.GetBytes(Deep(body));
        }
        else if (roll < 70)
        {
            byte[] b = Utf8(body);
            return b[..random.Next(b.Length)];
        }
        else if (roll < 75)
        {
            return Encoding.UTF8.GetBytes(Pick(["[]", "null", "1", "\"x\"", "", "{}", "{\"reason\":\"\\ud800\"}", "{\"comment\":\"\\udfff\"}"]));
        }
        else if (roll < 77)
        {
            return new byte[ChangeApiBodyLimit + random.Next(1, 10_000)];
        }

        return Utf8(body);
    }

    byte[] SpliceInvalidUtf8(byte[] body)
    {
        byte[][] bad = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xFE, 0xFF]];
        // Inside a string value is the interesting place: find a quote and splice right after it.
        int at = Array.IndexOf(body, (byte)'"', random.Next(Math.Max(1, body.Length - 1)));
        at = at < 0 ? random.Next(body.Length) : at + 1;
        return [.. body[..at], .. bad[random.Next(bad.Length)], .. body[at..]];
    }

    byte[] FlipBytes(byte[] body)
    {
        byte[] copy = (byte[])body.Clone();
        for (int i = 0; i < random.Next(1, 8); i++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    static string Utf8Text(JsonNode node) => node.ToJsonString();

    static string Escape(string value) => Uri.EscapeDataString(value);

    bool Chance(int percent) => random.Next(100) < percent;

    T Pick<T>(T[] values) => values[random.Next(values.Length)];
}
