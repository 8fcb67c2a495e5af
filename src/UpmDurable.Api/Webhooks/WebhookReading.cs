namespace UpmDurable.Api.Webhooks;

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
