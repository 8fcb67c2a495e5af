using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UpmDurable.Api.Webhooks;

/// <summary>The field rules every provider's reading shares: one home for what a change id, plan hash, identity and comment may be.</summary>
static partial class WebhookFields
{
    /// <summary>Longest comment kept (the API's limit); a longer one is cut, not refused.</summary>
    public const int MaxComment = 2000;

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    public static bool IsChangeId(string? value) => value is not null && ChangeIdPattern().IsMatch(value);

    public static bool IsPlanHash(string? value) => value is not null && PlanHashPattern().IsMatch(value);

    public static string? Comment(string? text) => text is null ? null : text.Length <= MaxComment ? text : text[..(MaxComment - 1)] + "…";

    /// <summary>The decision when every field is well formed, else the first field that is not (named as the payload names it).</summary>
    public static WebhookReading Decision(
        (string Name, string? Value) changeId, (string Name, string? Value) planHash, string decision,
        (string Name, IReadOnlyList<string?> Values) identities, string? comment, DateTimeOffset? eventTime)
    {
        if (!IsChangeId(changeId.Value))
        {
            return new WebhookReading.Invalid(changeId.Name, "A change id: chg- and lower-case hex.");
        }

        if (!IsPlanHash(planHash.Value))
        {
            return new WebhookReading.Invalid(planHash.Name, "The plan hash the decision approves: sha256: and 64 lower-case hex digits.");
        }

        List<string> known = identities.Values.Where(WebhookChannels.IsIdentity).Select(v => v!).ToList();
        if (known.Count == 0)
        {
            return new WebhookReading.Invalid(identities.Name, "Who decided: 1 to 200 of letters, digits and ._@:+-.");
        }

        return new WebhookReading.Decided(new WebhookDecision(changeId.Value!, planHash.Value!, decision, known, Comment(comment), eventTime));
    }

    /// <summary>An ISO 8601 time with an offset (GitHub), or ServiceNow's <c>yyyy-MM-dd HH:mm:ss</c> in UTC.</summary>
    public static DateTimeOffset? Time(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset utc) ? utc
        : text.Length <= 40 && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at) ? at
        : null;

    [GeneratedRegex(@"\Achg-[0-9a-f]{1,60}\z")]
    private static partial Regex ChangeIdPattern();

    [GeneratedRegex(@"\Asha256:[0-9a-f]{64}\z")]
    private static partial Regex PlanHashPattern();
}
