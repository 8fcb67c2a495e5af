namespace UpmDurable.Core.Policy;

/// <summary>Rule severities.</summary>
public static class PolicySeverity
{
    public const string Deny = "deny";
    public const string Warn = "warn";
}
