namespace UpmDurable.Core.Model;

/// <summary>A refused decision: the rule it broke and the reason recorded on the change.</summary>
public sealed record ApprovalRefusal(ApprovalRefusalKind Kind, string Reason);
