namespace UpmDurable.Api;

/// <summary>
/// One route both hosts serve: method, path, who may call it, what it takes and answers. <see cref="ApiRoutes"/> is the
/// single list the OpenAPI document is generated from and the hosts' endpoints are tested against.
/// </summary>
public sealed record ApiRoute(string Method, string Path, string Access, string OperationId, string Summary)
{
    /// <summary>The JSON body it reads, when it reads one.</summary>
    public Type? Request { get; init; }

    /// <summary>Whether the body may be left out.</summary>
    public bool RequestOptional { get; init; }

    /// <summary>The success status.</summary>
    public int Status { get; init; } = 200;

    /// <summary>More success statuses answering the same type (e.g. 200 for a repeated idempotent submit).</summary>
    public IReadOnlyList<int> AlsoStatus { get; init; } = [];

    /// <summary>The JSON answer on success, when it is JSON.</summary>
    public Type? Response { get; init; }

    /// <summary>Other success statuses answering another JSON type (a webhook event acknowledged and ignored).</summary>
    public IReadOnlyList<ApiAnswer> OtherAnswers { get; init; } = [];

    /// <summary>Non-JSON answers (zip, Mermaid, DOT).</summary>
    public IReadOnlyList<ApiContent> OtherContent { get; init; } = [];

    /// <summary>Problem statuses beyond the ones its access implies (401/403 for roles, 404 for a change id).</summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    /// <summary>Routes of the dashboard: served by both hosts, not part of the API document.</summary>
    public bool IsPage { get; init; }

    /// <summary>
    /// The provider the route belongs to: on a host that does not enable it, the route answers 404 like an unknown one
    /// and is left out of the API document. Null: the route is always served.
    /// </summary>
    public string? RequiresProvider { get; init; }

    /// <summary>Whether a host running <paramref name="enabledProviders"/> serves this route.</summary>
    public bool IsServedWith(IReadOnlySet<string> enabledProviders) =>
        RequiresProvider is null || enabledProviders.Contains(RequiresProvider);

    /// <summary>The path parameters, in order (<c>{id}</c> → <c>id</c>).</summary>
    public IEnumerable<string> PathParameters =>
        Path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]);

    /// <summary>The problem statuses this route may answer.</summary>
    public IEnumerable<int> AllProblems
    {
        get
        {
            var statuses = new SortedSet<int>(Problems);
            if (Access is not (RouteAccess.None or RouteAccess.Signature))
            {
                statuses.Add(401);
            }

            if (Access is not (RouteAccess.None or RouteAccess.Signature or RouteAccess.Any))
            {
                statuses.Add(403);
            }

            if (PathParameters.Contains("id"))
            {
                statuses.Add(404);
            }

            if (Request is not null)
            {
                statuses.Add(400);
                statuses.Add(413);
            }

            if (!IsPage)
            {
                statuses.Add(500);
            }

            return statuses;
        }
    }
}
