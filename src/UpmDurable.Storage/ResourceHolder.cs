namespace UpmDurable.Storage;

/// <summary>
/// A resource and the change holding its lock; <paramref name="ChangeId"/> is null when that change is another tenant's
/// (on a shared target): its id and details are not this tenant's to see.
/// </summary>
public sealed record ResourceHolder(string Resource, string? ChangeId)
{
    /// <summary>Who holds the lock, as the waiting change may be told.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string HeldBy => ChangeId is null ? $"held by {ResourceOwner.AnotherTenant}" : $"change {ChangeId}";
}
