namespace UpmDurable.Core.Model;

/// <summary>The spec's field canonicals and this product's status vocabulary, in one place.</summary>
public static class Canonicals
{
    public static readonly string[] Sources = ["chatops", "api", "ticket"];
    public static readonly string[] Visibilities = ["team", "org", "private"];
    public static readonly string[] DriftModes = [.. Model.DriftModes.All];
    public static readonly string[] Providers = ["sandbox", "azure", "cli"];
    public static readonly string[] FaultPoints = ["apply", "verify", "compensate"];

    /// <summary>Activity kinds a test host can make fail (<c>Upm:Testing:ActivityFaults</c>): checkpoint, lock take and release, health probe, window check, verify read, rollback read-back.</summary>
    public static readonly string[] ActivityFaultPoints = ["checkpoint", "lock", "unlock", "probe", "window", "verify_read", "read_back"];
    public static readonly string[] PlanVariants = ["canary", "blue_green"];
    public static readonly string[] VerifyFailureActions = ["rollback", "pause"];
    public static readonly string[] HealthGateActions = ["pause", "rollback"];
    public static readonly string[] DefaultPipeAllowList = ["grep", "jq", "wc", "head", "tail", "cut", "sort", "uniq"];
}
