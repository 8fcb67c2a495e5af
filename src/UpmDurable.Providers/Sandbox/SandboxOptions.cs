namespace UpmDurable.Providers.Sandbox;

/// <summary>The simulated cloud. Configuration section <c>Upm:Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Upm:Sandbox";

    /// <summary>Simulated latency of each apply, read and delete, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Quotas available per location, by quota name (e.g. <c>cores</c>).</summary>
    public Dictionary<string, int> Quotas { get; set; } = new(StringComparer.Ordinal) { ["cores"] = 100, ["public_ips"] = 10 };
}
