using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>
/// Azure Resource Manager as its REST reference documents it, in memory, behind an <see cref="HttpMessageHandler"/>
/// (the SDK's transport is an <c>HttpClientTransport</c> over it, so nothing leaves the process): resource groups PUT
/// 201/200, generic resources PUT 202 with <c>Azure-AsyncOperation</c> + <c>Location</c> + <c>Retry-After</c> then
/// polled to <c>Succeeded</c>, GET 404 with ARM's error body, DELETE 202 polled through <c>Location</c>, resource
/// lists with <c>$filter</c>, compute usages, and injected faults. Every request is recorded.
/// </summary>
public sealed class FakeArm : HttpMessageHandler
{
    public sealed record Call(string Method, string PathAndQuery, string? Body, string? Authorization)
    {
        public string Path => PathAndQuery.Split('?')[0];

        public JsonNode? Json => Body is { Length: > 0 } ? JsonNode.Parse(Body) : null;

        public override string ToString() => $"{Method} {PathAndQuery}";
    }

    sealed record Fault(string Method, string PathContains, HttpStatusCode Status, string? RetryAfter, string Code)
    {
        public int Remaining { get; set; }
    }

    sealed class Operation
    {
        public required string ResourceKey { get; init; }

        public required bool Delete { get; init; }

        public int PollsLeft { get; set; }
    }

    readonly ConcurrentDictionary<string, JsonObject> resources = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<string, Operation> operations = new(StringComparer.Ordinal);
    readonly List<Fault> faults = [];
    readonly object gate = new();

    public List<Call> Calls { get; } = [];

    /// <summary>How many status polls a long-running operation answers <c>InProgress</c> before it succeeds.</summary>
    public int PollsInProgress { get; set; } = 1;

    /// <summary>
    /// When set, long-running PUTs end <c>Failed</c> with this ARM error: the <c>Azure-AsyncOperation</c> status body
    /// carries it (<c>{"status": "Failed", "error": {"code", "message"}}</c>) and the resource is left <c>Failed</c>.
    /// </summary>
    public (string Code, string Message)? PutError { get; set; }

    /// <summary>When set, long-running DELETEs fail with this ARM error: their <c>Location</c> poll answers 400 with it.</summary>
    public (string Code, string Message)? DeleteError { get; set; }

    /// <summary>The <c>Retry-After</c> (seconds) of a 202 answer.</summary>
    public string AcceptedRetryAfter { get; set; } = "3";

    /// <summary>The <c>Retry-After</c> (seconds) of an <c>InProgress</c> poll.</summary>
    public string PollRetryAfter { get; set; } = "2";

    /// <summary>Compute usages by location: (current, limit) per usage name.</summary>
    public Dictionary<string, (int Current, int Limit)> Usages { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The next <paramref name="times"/> requests of <paramref name="method"/> whose path contains <paramref name="pathContains"/> get <paramref name="status"/>.</summary>
    public void Fail(string method, string pathContains, HttpStatusCode status, int times = 1, string? retryAfter = null, string code = "Injected")
    {
        lock (gate)
        {
            faults.Add(new Fault(method, pathContains, status, retryAfter, code) { Remaining = times });
        }
    }

    /// <summary>A resource that exists before the test (created by someone, or by another change).</summary>
    public void Seed(string id, JsonObject body)
    {
        body["id"] = id;
        body["name"] ??= id.Split('/')[^1];
        resources[Key(id)] = body;
    }

    public JsonObject? Resource(string id) => resources.TryGetValue(Key(id), out JsonObject? body) ? body : null;

    public IReadOnlyList<Call> CallsTo(string method, string pathContains) =>
        [.. Calls.Where(c => c.Method == method && c.Path.Contains(pathContains, StringComparison.OrdinalIgnoreCase))];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var call = new Call(request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Headers.Authorization?.ToString());
        lock (gate)
        {
            Calls.Add(call);
            Fault? fault = faults.FirstOrDefault(f => f.Remaining > 0 && f.Method == call.Method && call.Path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase));
            if (fault is not null)
            {
                fault.Remaining--;
                HttpResponseMessage failed = Error(fault.Status, fault.Code, $"Injected {(int)fault.Status} for {call.Method} {call.Path}.");
                if (fault.RetryAfter is not null)
                {
                    failed.Headers.TryAddWithoutValidation("Retry-After", fault.RetryAfter);
                }

                return failed;
            }

            return Route(request.RequestUri!, call);
        }
    }

    HttpResponseMessage Route(Uri uri, Call call)
    {
        string[] s = call.Path.Trim('/').Split('/');
        string query = Uri.UnescapeDataString(uri.Query);
        if (s.Length >= 2 && s[^2].Equals("operationStatuses", StringComparison.OrdinalIgnoreCase))
        {
            return PollStatus(uri, s[^1]);
        }

        if (s.Length >= 2 && s[^2].Equals("operationResults", StringComparison.OrdinalIgnoreCase))
        {
            return PollResult(uri, s[^1]);
        }

        if (s is ["subscriptions", _, "providers", _, "locations", _, "usages"])
        {
            var value = new JsonArray();
            foreach (var (name, (current, limit)) in Usages)
            {
                value.Add(new JsonObject { ["currentValue"] = current, ["limit"] = limit, ["name"] = new JsonObject { ["value"] = name, ["localizedValue"] = name }, ["unit"] = "Count" });
            }

            return Ok(new JsonObject { ["value"] = value });
        }

        if (s is ["subscriptions", _, "resources"])
        {
            // $filter=resourceType eq 'T' and name eq 'N'
            string type = Between(query, "resourceType eq '", "'");
            string name = Between(query, "name eq '", "'");
            return List(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase) && string.Equals((string?)r["name"], name, StringComparison.OrdinalIgnoreCase));
        }

        if (s is ["subscriptions", _, "resourceGroups" or "resourcegroups", var group, "resources"])
        {
            return List(r => ((string)r["id"]!).Contains($"/resourceGroups/{group}/providers/", StringComparison.OrdinalIgnoreCase));
        }

        bool isGroup = s is ["subscriptions", _, "resourceGroups" or "resourcegroups", _];
        bool isResource = s is ["subscriptions", _, "resourceGroups" or "resourcegroups", _, "providers", _, _, _];
        if (!isGroup && !isResource)
        {
            return Error(HttpStatusCode.BadRequest, "UnexpectedRequest", $"The fake ARM does not serve {call.Method} {call.Path}.");
        }

        string id = "/" + string.Join('/', s);
        string key = Key(id);
        switch (call.Method)
        {
            case "GET":
                return resources.TryGetValue(key, out JsonObject? found) ? Ok(found)
                    : isGroup ? Error(HttpStatusCode.NotFound, "ResourceGroupNotFound", $"Resource group '{s[3]}' could not be found.")
                    : Error(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{s[5]}/{s[6]}/{s[7]}' under resource group '{s[3]}' was not found.");

            case "PUT":
            {
                JsonObject sent = JsonNode.Parse(call.Body!)!.AsObject();
                bool existed = resources.TryGetValue(key, out JsonObject? before);
                if (isGroup && existed && !string.Equals((string?)before!["location"], (string?)sent["location"], StringComparison.OrdinalIgnoreCase))
                {
                    return Error(HttpStatusCode.Conflict, "InvalidResourceGroupLocation", $"Invalid resource group location '{sent["location"]}'. The Resource group already exists in location '{before["location"]}'.");
                }

                JsonObject stored = sent.DeepClone().AsObject();
                stored["id"] = id;
                stored["name"] = s[^1];
                stored["type"] = isGroup ? "Microsoft.Resources/resourceGroups" : $"{s[5]}/{s[6]}";
                JsonObject properties = stored["properties"] as JsonObject ?? [];
                stored["properties"] = properties;
                if (isGroup || existed)
                {
                    // Synchronous: 201 Created or 200 OK with the resource.
                    properties["provisioningState"] = "Succeeded";
                    resources[key] = stored;
                    return Ok(stored, existed ? HttpStatusCode.OK : HttpStatusCode.Created);
                }

                properties["provisioningState"] = "Creating";
                resources[key] = stored;
                return Accepted(uri, s[5], (string)stored["location"]!, new Operation { ResourceKey = key, Delete = false, PollsLeft = PollsInProgress }, asyncOperation: true);
            }

            case "DELETE":
                if (!resources.TryGetValue(key, out JsonObject? doomed))
                {
                    return new HttpResponseMessage(HttpStatusCode.NoContent);
                }

                ((JsonObject)doomed["properties"]!)["provisioningState"] = "Deleting";
                return Accepted(uri, isGroup ? "Microsoft.Resources" : s[5], (string?)doomed["location"] ?? "eastus", new Operation { ResourceKey = key, Delete = true, PollsLeft = PollsInProgress }, asyncOperation: false);

            default:
                return Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", call.Method);
        }
    }

    HttpResponseMessage Accepted(Uri uri, string provider, string location, Operation operation, bool asyncOperation)
    {
        string opId = Guid.NewGuid().ToString("N");
        operations[opId] = operation;
        string root = $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath[..(uri.AbsolutePath.IndexOf("/resource", StringComparison.OrdinalIgnoreCase))]}/providers/{provider}/locations/{location}";
        var response = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ByteArrayContent([]) };
        if (asyncOperation)
        {
            response.Headers.TryAddWithoutValidation("Azure-AsyncOperation", $"{root}/operationStatuses/{opId}?api-version=2023-05-01");
        }

        response.Headers.Location = new Uri($"{root}/operationResults/{opId}?api-version=2023-05-01");
        response.Headers.TryAddWithoutValidation("Retry-After", AcceptedRetryAfter);
        return response;
    }

    HttpResponseMessage PollStatus(Uri uri, string opId)
    {
        Operation operation = operations[opId];
        if (operation.PollsLeft-- > 0)
        {
            HttpResponseMessage running = Ok(new JsonObject { ["id"] = uri.AbsolutePath, ["name"] = opId, ["status"] = "InProgress", ["startTime"] = "2025-01-01T12:00:00Z" });
            running.Headers.TryAddWithoutValidation("Retry-After", PollRetryAfter);
            return running;
        }

        if (PutError is { } error && !operation.Delete)
        {
            ((JsonObject)resources[operation.ResourceKey]["properties"]!)["provisioningState"] = "Failed";
            return Ok(new JsonObject
            {
                ["id"] = uri.AbsolutePath, ["name"] = opId, ["status"] = "Failed", ["startTime"] = "2025-01-01T12:00:00Z", ["endTime"] = "2025-01-01T12:04:00Z",
                ["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message },
            });
        }

        Finish(operation);
        return Ok(new JsonObject { ["id"] = uri.AbsolutePath, ["name"] = opId, ["status"] = "Succeeded", ["startTime"] = "2025-01-01T12:00:00Z", ["endTime"] = "2025-01-01T12:04:00Z" });
    }

    HttpResponseMessage PollResult(Uri uri, string opId)
    {
        Operation operation = operations[opId];
        if (operation.PollsLeft-- > 0)
        {
            var running = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ByteArrayContent([]) };
            running.Headers.Location = uri;
            running.Headers.TryAddWithoutValidation("Retry-After", PollRetryAfter);
            return running;
        }

        if (DeleteError is { } error && operation.Delete)
        {
            return Error(HttpStatusCode.BadRequest, error.Code, error.Message);
        }

        Finish(operation);
        return operation.Delete ? new HttpResponseMessage(HttpStatusCode.NoContent) : Ok(resources[operation.ResourceKey]);
    }

    void Finish(Operation operation)
    {
        if (operation.Delete)
        {
            // Deleting a group deletes what is in it.
            foreach (string key in resources.Keys.Where(k => k == operation.ResourceKey || k.StartsWith(operation.ResourceKey + "/", StringComparison.Ordinal)).ToList())
            {
                resources.TryRemove(key, out _);
            }
        }
        else
        {
            ((JsonObject)resources[operation.ResourceKey]["properties"]!)["provisioningState"] = "Succeeded";
        }
    }

    HttpResponseMessage List(Func<JsonObject, bool> match) =>
        Ok(new JsonObject { ["value"] = new JsonArray([.. resources.Values.Where(match).Select(r => (JsonNode)r.DeepClone())]) });

    static HttpResponseMessage Ok(JsonNode body, HttpStatusCode status = HttpStatusCode.OK) => new(status)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };

    static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
    {
        HttpResponseMessage response = Ok(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, status);
        response.Headers.TryAddWithoutValidation("x-ms-failure-cause", "gateway");
        return response;
    }

    static string Key(string id) => id.TrimEnd('/').ToLowerInvariant();

    static string Between(string text, string start, string end)
    {
        int at = text.IndexOf(start, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return string.Empty;
        }

        at += start.Length;
        return text[at..text.IndexOf(end, at, StringComparison.Ordinal)];
    }
}
