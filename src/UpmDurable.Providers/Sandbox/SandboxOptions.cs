namespace UpmDurable.Providers.Sandbox;

/// <summary>The simulated cloud. Configuration section <c>Upm:Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Upm:Sandbox";

    /// <summary>Why the sandbox is off, as <c>/api/health</c> and the start-up log say it.</summary>
    public const string DisabledReason = "Upm:Sandbox:Enabled is false: the simulated cloud and its tamper route are off on this host (the Functions app's default); set it to true for demos and tests.";

    /// <summary>
    /// Whether this host runs the sandbox provider and the sandbox tamper route. Unset: the host's default (the local
    /// host: on; the Functions app: off).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Simulated latency of each apply, read and delete, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Quotas available per location, by quota name (e.g. <c>cores</c>).</summary>
    public Dictionary<string, int> Quotas { get; set; } = new(StringComparer.Ordinal) { ["cores"] = 100, ["public_ips"] = 10 };
}
