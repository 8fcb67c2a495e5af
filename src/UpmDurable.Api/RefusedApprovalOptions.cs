namespace UpmDurable.Api;

/// <summary>Limits of refused approval attempts. Configuration section <c>Upm:Approvals</c>.</summary>
public sealed class RefusedApprovalOptions
{
    public const string Section = "Upm:Approvals";

    /// <summary>Refused attempts one principal may make in a minute, over every change and channel; beyond: 429.</summary>
    public int RefusedAttemptsPerMinute { get; set; } = 10;
}
