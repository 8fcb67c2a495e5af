namespace UpmDurable.Core.Model;

/// <summary>Why an approval decision does not count.</summary>
public enum ApprovalRefusalKind
{
    StalePlanHash,
    SeparationOfDuties,
    NotInRequiredGroup,
    Duplicate,
    UnknownDecision,

    /// <summary>A webhook named an approver its provider does not map to a principal.</summary>
    UnknownApprover,
}
