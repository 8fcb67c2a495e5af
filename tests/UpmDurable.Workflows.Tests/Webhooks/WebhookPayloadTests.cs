using System.Text.Json.Nodes;
using UpmDurable.Testing;
using UpmDurable.Api.Webhooks;
using Xunit;

namespace UpmDurable.Workflows.Tests.Webhooks;

/// <summary>Each provider's payload, shaped as the vendor publishes it (Fixtures/webhooks), read into a decision, ignored, or refused.</summary>
public sealed class WebhookPayloadTests
{
    const string ChangeId = "chg-0123456789abcdef0123456789abcdef";
    static readonly string PlanHash = "sha256:" + new string('a', 64);
    static readonly DateTimeOffset At = new(2025, 6, 1, 10, 15, 0, TimeSpan.Zero);

    static readonly WebhookChannels Channels = new(new Dictionary<string, WebhookProvider>
    {
        ["jira"] = WebhookChannelsTests.Provider(changeField: "customfield_10050", planField: "customfield_10051"),
        ["servicenow"] = WebhookChannelsTests.Provider(),
    });

    static JsonObject Fixture(string name, string who = "octocat") => WebhookFixtures.Load(name, ChangeId, PlanHash, who, At);

    static WebhookDecision Decided(WebhookReading reading) => Assert.IsType<WebhookReading.Decided>(reading).Decision;

    static string Ignored(WebhookReading reading) => Assert.IsType<WebhookReading.Ignored>(reading).Reason;

    static string Invalid(WebhookReading reading) => Assert.IsType<WebhookReading.Invalid>(reading).Field;

    [Fact]
    public void Github_approving_review_on_a_pull_request_naming_the_change_is_a_decision_by_the_reviewer()
    {
        WebhookDecision decision = Decided(GitHubPayload.Read("pull_request_review", Fixture(WebhookFixtures.GitHubReview)));
        Assert.Equal(new WebhookDecision(ChangeId, PlanHash, "approve", decision.Identities, "Plan reviewed; ship it.", At), decision);
        Assert.Equal(["octocat"], decision.Identities);

        JsonObject changes = Fixture(WebhookFixtures.GitHubReview);
        changes["review"]!["state"] = "changes_requested";
        Assert.Equal("reject", Decided(GitHubPayload.Read("pull_request_review", changes)).Decision);
    }

    [Fact]
    public void Github_reviews_that_decide_nothing_are_ignored_and_ambiguous_markers_refused()
    {
        foreach (var (path, value) in new[] { ("review.state", "commented"), ("review.state", "dismissed"), ("action", "edited"), ("action", "dismissed"), ("pull_request.body", "Just a refactoring.") })
        {
            JsonObject payload = Fixture(WebhookFixtures.GitHubReview);
            Set(payload, path, value);
            Ignored(GitHubPayload.Read("pull_request_review", payload));
        }

        Assert.Contains("ping", Ignored(GitHubPayload.Read("ping", new JsonObject { ["zen"] = "Design for failure." })), StringComparison.Ordinal);
        Assert.StartsWith("push event", Ignored(GitHubPayload.Read("push", Fixture(WebhookFixtures.GitHubReview))), StringComparison.Ordinal);
        Assert.StartsWith("this event", Ignored(GitHubPayload.Read("<script>", Fixture(WebhookFixtures.GitHubReview))), StringComparison.Ordinal);
        Assert.Equal("X-GitHub-Event", Invalid(GitHubPayload.Read(null, Fixture(WebhookFixtures.GitHubReview))));

        foreach (string body in new[] { $"UPM-Change: {ChangeId}\nUPM-Change: chg-ff\nUPM-Plan: {PlanHash}", $"UPM-Change: {ChangeId}", $"UPM-Change: {ChangeId}\nUPM-Plan: {PlanHash}\nUPM-Plan: sha256:{new string('b', 64)}" })
        {
            JsonObject payload = Fixture(WebhookFixtures.GitHubReview);
            payload["pull_request"]!["body"] = body;
            Assert.Equal("pull_request.body", Invalid(GitHubPayload.Read("pull_request_review", payload)));
        }

        JsonObject bad = Fixture(WebhookFixtures.GitHubReview);
        bad["pull_request"]!["body"] = $"UPM-Change: ../../etc\nUPM-Plan: {PlanHash}";
        Assert.Equal("pull_request.body UPM-Change", Invalid(GitHubPayload.Read("pull_request_review", bad)));

        JsonObject undated = Fixture(WebhookFixtures.GitHubReview);
        undated["review"]!.AsObject().Remove("submitted_at");
        Assert.Equal("review.submitted_at", Invalid(GitHubPayload.Read("pull_request_review", undated)));

        JsonObject stranger = Fixture(WebhookFixtures.GitHubReview, who: "x\ny");
        Assert.Equal("review.user.login", Invalid(GitHubPayload.Read("pull_request_review", stranger)));
    }

    [Fact]
    public void Markers_repeated_with_the_same_value_or_inline_in_a_title_read_the_same()
    {
        Assert.Equal((ChangeId, PlanHash, null), UpmMarkers.Read($"UPM-Change: {ChangeId}\r\nUPM-Plan: {PlanHash}\r\n\r\nUPM-Change: {ChangeId}"));
        Assert.Equal((ChangeId, PlanHash, null), UpmMarkers.Read($"UPM-Change: {ChangeId} UPM-Plan: {PlanHash}"));
        Assert.Equal((null, null, null), UpmMarkers.Read("XUPM-Change: chg-1 no marker here"));
        Assert.Equal((null, null, null), UpmMarkers.Read(null));
    }

    [Fact]
    public void Github_deployment_review_is_decided_by_the_approver_named_in_the_workflow_run_title()
    {
        JsonObject payload = Fixture(WebhookFixtures.GitHubDeploymentReview, who: "octocat");
        payload["reviewers"]![0]!["reviewer"]!["login"] = "mallory";
        WebhookDecision decision = Decided(GitHubPayload.Read("deployment_review", payload));
        Assert.Equal((ChangeId, PlanHash, "approve", "octocat", "Deployment reviewed", (DateTimeOffset?)null), (decision.ChangeId, decision.PlanHash, decision.Decision, decision.Identities.Single(), decision.Comment, decision.EventTime));

        payload["action"] = "rejected";
        Assert.Equal("reject", Decided(GitHubPayload.Read("deployment_review", payload)).Decision);
        payload["action"] = "requested";
        Ignored(GitHubPayload.Read("deployment_review", payload));

        JsonObject untitled = Fixture(WebhookFixtures.GitHubDeploymentReview);
        untitled["workflow_run"]!["display_title"] = "Deploy main";
        Ignored(GitHubPayload.Read("deployment_review", untitled));

        JsonObject anonymous = Fixture(WebhookFixtures.GitHubDeploymentReview);
        anonymous.Remove("approver");
        Assert.Equal("approver.login", Invalid(GitHubPayload.Read("deployment_review", anonymous)));
    }

    [Fact]
    public void Jira_transition_of_the_issue_status_is_a_decision_by_the_account_with_the_change_in_custom_fields()
    {
        WebhookChannel jira = Channels.Find("jira")!;
        JsonObject payload = Fixture(WebhookFixtures.Jira, who: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077");
        WebhookDecision decision = Decided(JiraPayload.Read(payload, jira));
        Assert.Equal((ChangeId, PlanHash, "approve", At), (decision.ChangeId, decision.PlanHash, decision.Decision, decision.EventTime!.Value));
        Assert.Equal(["557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"], decision.Identities);

        payload["user"]!["emailAddress"] = "mia@example.com";
        Assert.Equal(["557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "mia@example.com"], Decided(JiraPayload.Read(payload, jira)).Identities);

        payload["changelog"]!["items"]![0]!["toString"] = "declined";
        Assert.Equal("reject", Decided(JiraPayload.Read(payload, jira)).Decision);
    }

    [Fact]
    public void Jira_events_that_are_not_a_status_transition_into_a_decision_are_ignored_or_refused()
    {
        WebhookChannel jira = Channels.Find("jira")!;
        JsonObject customStatus = Fixture(WebhookFixtures.Jira);
        customStatus["changelog"]!["items"]![0]!["fieldtype"] = "custom"; // a custom field someone named "status"
        Ignored(JiraPayload.Read(customStatus, jira));

        JsonObject summary = Fixture(WebhookFixtures.Jira);
        summary["changelog"]!["items"] = new JsonArray(new JsonObject { ["field"] = "summary", ["fieldtype"] = "jira", ["toString"] = "Approved" });
        Ignored(JiraPayload.Read(summary, jira));

        JsonObject inProgress = Fixture(WebhookFixtures.Jira);
        inProgress["changelog"]!["items"]![0]!["toString"] = "In Progress";
        Ignored(JiraPayload.Read(inProgress, jira));

        JsonObject created = Fixture(WebhookFixtures.Jira);
        created["webhookEvent"] = "jira:issue_created";
        Ignored(JiraPayload.Read(created, jira));

        JsonObject unrelated = Fixture(WebhookFixtures.Jira);
        unrelated["issue"]!["fields"]!.AsObject().Remove("customfield_10050");
        Ignored(JiraPayload.Read(unrelated, jira));

        JsonObject noPlan = Fixture(WebhookFixtures.Jira);
        noPlan["issue"]!["fields"]!.AsObject().Remove("customfield_10051");
        Assert.Equal("issue.fields.customfield_10051", Invalid(JiraPayload.Read(noPlan, jira)));

        JsonObject undated = Fixture(WebhookFixtures.Jira);
        undated["timestamp"] = "yesterday";
        Assert.Equal("timestamp", Invalid(JiraPayload.Read(undated, jira)));
    }

    [Fact]
    public void Jira_statuses_are_configurable()
    {
        WebhookProvider config = WebhookChannelsTests.Provider(changeField: "customfield_10050", planField: "customfield_10051");
        config.ApproveStatuses = ["CAB approved"];
        config.RejectStatuses = ["CAB refused"];
        WebhookChannel jira = new WebhookChannels(new Dictionary<string, WebhookProvider> { ["jira"] = config }).Find("jira")!;
        JsonObject payload = Fixture(WebhookFixtures.Jira);
        Ignored(JiraPayload.Read(payload, jira));
        payload["changelog"]!["items"]![0]!["toString"] = "CAB approved";
        Assert.Equal("approve", Decided(JiraPayload.Read(payload, jira)).Decision);
    }

    [Fact]
    public void Servicenow_change_request_approval_is_a_decision_by_the_user_who_updated_it()
    {
        WebhookChannel servicenow = Channels.Find("servicenow")!;
        WebhookDecision decision = Decided(ServiceNowPayload.Read(Fixture(WebhookFixtures.ServiceNow, who: "abel.tuter"), servicenow));
        Assert.Equal(new WebhookDecision(ChangeId, PlanHash, "approve", decision.Identities, "CAB approved", At), decision);
        Assert.Equal(["abel.tuter"], decision.Identities);

        JsonObject rejected = Fixture(WebhookFixtures.ServiceNow);
        rejected["approval"] = "rejected";
        Assert.Equal("reject", Decided(ServiceNowPayload.Read(rejected, servicenow)).Decision);

        foreach (string state in new[] { "requested", "not requested", "Approved" })
        {
            JsonObject payload = Fixture(WebhookFixtures.ServiceNow);
            payload["approval"] = state;
            Ignored(ServiceNowPayload.Read(payload, servicenow));
        }

        JsonObject unrelated = Fixture(WebhookFixtures.ServiceNow);
        unrelated.Remove("u_upm_change_id");
        Ignored(ServiceNowPayload.Read(unrelated, servicenow));

        JsonObject undated = Fixture(WebhookFixtures.ServiceNow);
        undated["sys_updated_on"] = "01/06/2025";
        Assert.Equal("sys_updated_on", Invalid(ServiceNowPayload.Read(undated, servicenow)));
    }

    [Fact]
    public void Servicenow_fields_are_configurable_u_fields()
    {
        WebhookProvider config = WebhookChannelsTests.Provider(changeField: "u_change", planField: "u_plan");
        WebhookChannel servicenow = new WebhookChannels(new Dictionary<string, WebhookProvider> { ["servicenow"] = config }).Find("servicenow")!;
        JsonObject payload = Fixture(WebhookFixtures.ServiceNow);
        Ignored(ServiceNowPayload.Read(payload, servicenow));
        payload["u_change"] = ChangeId;
        payload["u_plan"] = PlanHash;
        Assert.Equal(ChangeId, Decided(ServiceNowPayload.Read(payload, servicenow)).ChangeId);
    }

    [Fact]
    public void Generic_payload_fields_are_checked_and_a_long_comment_is_cut_not_refused()
    {
        JsonObject payload = Fixture(WebhookFixtures.Generic);
        WebhookDecision generic = Decided(GenericPayload.Read(payload));
        Assert.Equal(new WebhookDecision(ChangeId, PlanHash, "approve", generic.Identities, "ok", null), generic);
        Assert.Equal(["octocat"], generic.Identities);

        payload["comment"] = new string('c', 5000);
        Assert.Equal(2000, Decided(GenericPayload.Read(payload)).Comment!.Length);

        foreach (var (field, value) in new[] { ("decision", "maybe"), ("change_id", "CHG-1"), ("plan_hash", "sha256:xyz"), ("approver", "a b") })
        {
            JsonObject bad = Fixture(WebhookFixtures.Generic);
            bad[field] = value;
            Assert.Equal(field, Invalid(GenericPayload.Read(bad)));
        }

        Assert.Equal("decision", Invalid(GenericPayload.Read(null)));
    }

    static void Set(JsonObject payload, string path, string value)
    {
        string[] parts = path.Split('.');
        JsonNode node = payload;
        foreach (string part in parts[..^1])
        {
            node = node[part]!;
        }

        node[parts[^1]] = value;
    }
}
