namespace UpmDurable.Core.Model;

/// <summary>The documented defaults of a change request.</summary>
public static class ChangeDefaults
{
    public const string Source = "api";
    public const string Visibility = "team";
    public const string Owner = "platform";
    public const string Cloud = "azure";
    public const string Provider = "sandbox";
    public const int MaxParallel = 10;
    public const int ApprovalsRequired = 1;
    public const string ApprovalGroup = "platform-owners";
    public const string ApprovalTimeout = "P3D";
    public const string DriftMode = "report";
    public const string DriftInterval = "PT15M";
    public const bool WindowWait = true;
    public const string OnVerifyFailure = "rollback";
    public const int MinHealthyPercent = 100;
    public const string HealthGateOnFailure = "pause";
}
