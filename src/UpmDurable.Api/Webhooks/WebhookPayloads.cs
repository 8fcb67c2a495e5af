using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UpmDurable.Core.Signing;
using UpmDurable.Workflows;

namespace UpmDurable.Api.Webhooks;

/// <summary>
/// An approval decision read from a webhook payload: the change, the plan hash, approve or reject, who decided (their
/// identities in the product, most preferred first), the comment and, when the product sends one, when it happened.
/// </summary>
public sealed record WebhookDecision(string ChangeId, string PlanHash, string Decision, IReadOnlyList<string> Identities, string? Comment, DateTimeOffset? EventTime);

/// <summary>What a verified payload says: a decision, nothing addressed to us (answered 200, no effect), or a malformed decision (400).</summary>
public abstract record WebhookReading
{
    /// <summary>A decision on a change.</summary>
    public sealed record Decided(WebhookDecision Decision) : WebhookReading;

    /// <summary>An event that decides nothing here (a comment-only review, a ping, another status): acknowledged and dropped.</summary>
    public sealed record Ignored(string Reason) : WebhookReading;

    /// <summary>An event addressed to a change whose decision cannot be read: the payload field and what is wrong with it.</summary>
    public sealed record Invalid(string Field, string Reason) : WebhookReading;
}

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

/// <summary>generic: <c>{change_id, plan_hash, decision: approve|reject, approver, comment}</c>, signed with <see cref="UpmSignature"/>.</summary>
public static class GenericPayload
{
    public static WebhookReading Read(JsonNode? payload)
    {
        string? decision = WebhookFields.Text(payload?["decision"]);
        if (decision is not ("approve" or "reject"))
        {
            return new WebhookReading.Invalid("decision", "approve or reject.");
        }

        return WebhookFields.Decision(("change_id", WebhookFields.Text(payload?["change_id"])), ("plan_hash", WebhookFields.Text(payload?["plan_hash"])), decision,
            ("approver", [WebhookFields.Text(payload?["approver"])]), WebhookFields.Text(payload?["comment"]), null);
    }
}

/// <summary>
/// github (event type from <c>X-GitHub-Event</c>): <c>pull_request_review</c> — a submitted review, approved or
/// changes_requested, by <c>review.user.login</c> on a pull request whose body carries the <see cref="UpmMarkers"/>;
/// <c>deployment_review</c> — approved or rejected by <c>approver.login</c> on a workflow run whose <c>display_title</c>
/// (the workflow's <c>run-name</c>) carries them. <c>ping</c> and every other event are acknowledged and ignored.
/// </summary>
public static partial class GitHubPayload
{
    public static WebhookReading Read(string? eventName, JsonNode? payload) => eventName switch
    {
        null or "" => new WebhookReading.Invalid("X-GitHub-Event", "The GitHub event type."),
        "ping" => new WebhookReading.Ignored("ping: the webhook reaches UpmDurable"),
        "pull_request_review" => PullRequestReview(payload),
        "deployment_review" => DeploymentReview(payload),
        _ => new WebhookReading.Ignored($"{(EventName().IsMatch(eventName) ? eventName : "this")} event decides nothing; send pull_request_review and deployment_review"),
    };

    static WebhookReading PullRequestReview(JsonNode? payload)
    {
        if (WebhookFields.Text(payload?["action"]) != "submitted")
        {
            return new WebhookReading.Ignored("only a submitted review decides");
        }

        JsonNode? review = payload?["review"];
        string? decision = WebhookFields.Text(review?["state"])?.ToLowerInvariant() switch
        {
            "approved" => "approve",
            "changes_requested" => "reject",
            _ => null,
        };
        if (decision is null)
        {
            return new WebhookReading.Ignored("only an approving or changes-requested review decides");
        }

        var (changeId, planHash, problem) = UpmMarkers.Read(WebhookFields.Text(payload?["pull_request"]?["body"]));
        if (changeId is null && problem is null)
        {
            return new WebhookReading.Ignored("the pull request names no UPM-Change");
        }

        if (problem is not null)
        {
            return new WebhookReading.Invalid("pull_request.body", $"The pull request body {problem}; it needs one 'UPM-Change: <id>' and one 'UPM-Plan: <hash>' line.");
        }

        DateTimeOffset? submitted = WebhookFields.Time(WebhookFields.Text(review?["submitted_at"]));
        if (submitted is null)
        {
            return new WebhookReading.Invalid("review.submitted_at", "When the review was submitted (ISO 8601).");
        }

        return WebhookFields.Decision(("pull_request.body UPM-Change", changeId), ("pull_request.body UPM-Plan", planHash), decision,
            ("review.user.login", [WebhookFields.Text(review?["user"]?["login"])]), WebhookFields.Text(review?["body"]), submitted);
    }

    // A deployment review carries no time of the review itself (since is when the wait began, possibly days before), so
    // its age is not checked; its delivery id and body are remembered for good, which refuses a replay.
    static WebhookReading DeploymentReview(JsonNode? payload)
    {
        string? decision = WebhookFields.Text(payload?["action"]) switch
        {
            "approved" => "approve",
            "rejected" => "reject",
            _ => null,
        };
        if (decision is null)
        {
            return new WebhookReading.Ignored("only an approved or rejected deployment review decides");
        }

        var (changeId, planHash, problem) = UpmMarkers.Read(WebhookFields.Text(payload?["workflow_run"]?["display_title"]));
        if (changeId is null && problem is null)
        {
            return new WebhookReading.Ignored("the workflow run's title names no UPM-Change");
        }

        if (problem is not null)
        {
            return new WebhookReading.Invalid("workflow_run.display_title", $"The workflow run title {problem}; set run-name to 'UPM-Change: <id> UPM-Plan: <hash>'.");
        }

        // approver is who reviewed; reviewers lists who could have, and never decides who did.
        return WebhookFields.Decision(("workflow_run.display_title UPM-Change", changeId), ("workflow_run.display_title UPM-Plan", planHash), decision,
            ("approver.login", [WebhookFields.Text(payload?["approver"]?["login"])]), WebhookFields.Text(payload?["comment"]), null);
    }

    [GeneratedRegex(@"\A[a-z_]{1,40}\z")]
    private static partial Regex EventName();
}

/// <summary>
/// jira (Jira Cloud admin webhook, <c>jira:issue_updated</c>): a transition of the issue's own status field
/// (<c>changelog.items[]</c> with <c>field</c> status and <c>fieldtype</c> jira) into a configured approve or reject
/// status, by <c>user.accountId</c> (or <c>user.emailAddress</c>), on an issue whose configured custom fields hold the
/// change id and plan hash; <c>timestamp</c> (ms) is when it happened.
/// </summary>
public static class JiraPayload
{
    public static WebhookReading Read(JsonNode? payload, WebhookChannel channel)
    {
        if (WebhookFields.Text(payload?["webhookEvent"]) != "jira:issue_updated")
        {
            return new WebhookReading.Ignored("only jira:issue_updated decides");
        }

        // fieldtype jira: the issue's own status, not a custom field someone named "status".
        JsonNode? transition = (payload?["changelog"]?["items"] as JsonArray)?
            .LastOrDefault(i => WebhookFields.Text(i?["field"]) == "status" && WebhookFields.Text(i?["fieldtype"]) == "jira");
        string? status = WebhookFields.Text(transition?["toString"]);
        string? decision = status is null ? null
            : channel.ApproveStatuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? "approve"
            : channel.RejectStatuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? "reject"
            : null;
        if (decision is null)
        {
            return new WebhookReading.Ignored("no transition into an approve or reject status");
        }

        JsonNode? fields = payload?["issue"]?["fields"];
        string? changeId = WebhookFields.Text(fields?[channel.ChangeIdField]);
        if (changeId is null)
        {
            return new WebhookReading.Ignored($"the issue has no change id in {channel.ChangeIdField}");
        }

        DateTimeOffset? at = payload?["timestamp"] is JsonValue ms && ms.TryGetValue(out long millis) && millis is > 0 and < 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
        if (at is null)
        {
            return new WebhookReading.Invalid("timestamp", "When the event happened (ms since 1970).");
        }

        JsonNode? user = payload?["user"];
        return WebhookFields.Decision(($"issue.fields.{channel.ChangeIdField}", changeId), ($"issue.fields.{channel.PlanHashField}", WebhookFields.Text(fields?[channel.PlanHashField])), decision,
            ("user.accountId", [WebhookFields.Text(user?["accountId"]), WebhookFields.Text(user?["emailAddress"])]), WebhookFields.Text(payload?["comment"]?["body"]), at);
    }
}

/// <summary>
/// servicenow (outbound REST message from a change request): <c>approval</c> approved or rejected, who by in
/// <c>sys_updated_by</c> (the user name ServiceNow itself records for the update), when in <c>sys_updated_on</c>, the
/// change id and plan hash in the configured <c>u_</c> fields, the note in <c>comments</c>.
/// </summary>
public static class ServiceNowPayload
{
    public static WebhookReading Read(JsonNode? payload, WebhookChannel channel)
    {
        string? decision = WebhookFields.Text(payload?["approval"]) switch
        {
            "approved" => "approve",
            "rejected" => "reject",
            _ => null,
        };
        if (decision is null)
        {
            return new WebhookReading.Ignored("only approval approved or rejected decides");
        }

        string? changeId = WebhookFields.Text(payload?[channel.ChangeIdField]);
        if (changeId is null)
        {
            return new WebhookReading.Ignored($"the record has no change id in {channel.ChangeIdField}");
        }

        DateTimeOffset? at = WebhookFields.Time(WebhookFields.Text(payload?["sys_updated_on"]));
        if (at is null)
        {
            return new WebhookReading.Invalid("sys_updated_on", "When the record was updated (yyyy-MM-dd HH:mm:ss, UTC).");
        }

        return WebhookFields.Decision((channel.ChangeIdField, changeId), (channel.PlanHashField, WebhookFields.Text(payload?[channel.PlanHashField])), decision,
            ("sys_updated_by", [WebhookFields.Text(payload?["sys_updated_by"])]), WebhookFields.Text(payload?["comments"]), at);
    }
}
