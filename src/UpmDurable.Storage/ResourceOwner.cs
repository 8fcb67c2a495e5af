namespace UpmDurable.Storage;

/// <summary>The change owning a resource's intended state; <paramref name="ChangeId"/> is null when it is another tenant's.</summary>
public sealed record ResourceOwner(string? ChangeId)
{
    /// <summary>How a change of another tenant is named to this one.</summary>
    public const string AnotherTenant = "a change of another tenant";

    public override string ToString() => ChangeId ?? AnotherTenant;
}
