namespace UpmDurable.Core.Model;

/// <summary>What a completed change's drift monitor does (<c>drift.mode</c>).</summary>
public static class DriftModes
{
    /// <summary>No monitor.</summary>
    public const string Off = "off";

    /// <summary>Report drift (status, notice, log).</summary>
    public const string Report = "report";

    /// <summary>Report drift and run a remediation change.</summary>
    public const string Remediate = "remediate";

    /// <summary>Every mode: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(DriftModes));
}
