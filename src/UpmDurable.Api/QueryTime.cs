namespace UpmDurable.Api;

/// <summary>The one reading of a time in a query string (<c>since</c>, <c>until</c>): ISO-8601, UTC when no offset is given.</summary>
public static class QueryTime
{
    public static bool TryParse(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out at);

    /// <summary>400 naming the query parameter <paramref name="name"/>.</summary>
    public static ApiResult Problem(string name) => ApiResult.Problem(400, "The request is invalid.", $"{name} must be an ISO-8601 date or time.",
        new Dictionary<string, string[]> { [name] = ["An ISO-8601 date or time, e.g. 2026-11-01T00:00:00Z."] });
}
