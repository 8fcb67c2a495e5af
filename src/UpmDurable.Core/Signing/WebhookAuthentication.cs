namespace UpmDurable.Core.Signing;

/// <summary>What a signature or credential check found: the delivery id it vouches for, or why the request is refused (401).</summary>
public sealed record WebhookAuthentication(string? DeliveryId, string? Problem)
{
    public bool Ok => Problem is null;

    public static WebhookAuthentication Accepted(string? deliveryId) => new(deliveryId, null);

    public static WebhookAuthentication Refused(string problem) => new(null, problem);
}
