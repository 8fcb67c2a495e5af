using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UpmDurable.Api.Webhooks;

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
