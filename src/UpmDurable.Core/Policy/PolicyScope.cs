namespace UpmDurable.Core.Policy;

/// <summary>Rule scopes.</summary>
public static class PolicyScope
{
    public const string Change = "change";
    public const string Resource = "resource";
}
