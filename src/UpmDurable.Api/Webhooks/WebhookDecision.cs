namespace UpmDurable.Api.Webhooks;

/// <summary>
/// An approval decision read from a webhook payload: the change, the plan hash, approve or reject, who decided (their
/// identities in the product, most preferred first), the comment and, when the product sends one, when it happened.
/// </summary>
public sealed record WebhookDecision(string ChangeId, string PlanHash, string Decision, IReadOnlyList<string> Identities, string? Comment, DateTimeOffset? EventTime);
