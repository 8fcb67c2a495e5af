namespace UpmDurable.Core.Model;

/// <summary>The five phases of UPM v2, as the spec spells them.</summary>
public static class Phases
{
    public const string Plan = "plan";
    public const string Preflight = "preflight";
    public const string Execute = "execute";
    public const string Verify = "verify";
    public const string Audit = "audit";
}
