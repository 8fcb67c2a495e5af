namespace UpmDurable.Core.Policy;

/// <summary>A pack that cannot be loaded or a condition that cannot be compiled or evaluated; <see cref="RuleId"/> names the rule when known.</summary>
public sealed class PolicyPackException : Exception
{
    public PolicyPackException(string? ruleId, string message, Exception? inner = null)
        : base(message, inner)
    {
        RuleId = ruleId;
    }

    public string? RuleId { get; }
}
