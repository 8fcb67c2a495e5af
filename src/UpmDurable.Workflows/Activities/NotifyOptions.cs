namespace UpmDurable.Workflows.Activities;

/// <summary>Where approval-needed notifications go. Configuration section <c>Upm:Notify</c>.</summary>
public sealed class NotifyOptions
{
    public const string Section = "Upm:Notify";

    /// <summary>An HTTPS endpoint (chat, ticketing) that receives a signed JSON notice when a change awaits approval.</summary>
    public string? Url { get; set; }

    /// <summary>Secret of the <c>X-Upm-Signature</c> header (over time, delivery id and body), so the receiver can check the notice came from us.</summary>
    public string? Secret { get; set; }

    // The links' base is the service's one public address, Upm:PublicBaseUrl (see PublicBaseUrl; Upm:Notify:PublicBaseUrl
    // is still read when it is unset).
}
