using System.Text.RegularExpressions;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// <c>UPM-Change: &lt;id&gt;</c> and <c>UPM-Plan: &lt;hash&gt;</c> markers in free text (a pull request body, a workflow
/// run's title). Each may appear more than once only with the same value; a text without <c>UPM-Change</c> is not
/// addressed to us.
/// </summary>
public static partial class UpmMarkers
{
    /// <summary>The markers' values, or why they cannot be read (null problem and null change: no marker at all).</summary>
    public static (string? ChangeId, string? PlanHash, string? Problem) Read(string? text)
    {
        if (text is null)
        {
            return (null, null, null);
        }

        var changes = ChangeMarker().Matches(text).Select(m => m.Groups["v"].Value).Distinct(StringComparer.Ordinal).ToList();
        var plans = PlanMarker().Matches(text).Select(m => m.Groups["v"].Value).Distinct(StringComparer.Ordinal).ToList();
        return changes.Count switch
        {
            0 => (null, null, null),
            > 1 => (null, null, "names more than one UPM-Change"),
            _ when plans.Count != 1 => (changes[0], null, plans.Count == 0 ? "names a UPM-Change but no UPM-Plan" : "names more than one UPM-Plan"),
            _ => (changes[0], plans[0], null),
        };
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])UPM-Change:[ \t]*(?<v>[^\s`*]*)")]
    private static partial Regex ChangeMarker();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])UPM-Plan:[ \t]*(?<v>[^\s`*]*)")]
    private static partial Regex PlanMarker();
}
