using UpmDurable.Hosting;

namespace UpmDurable.Local;

/// <summary>Settings of the local host. Configuration section <c>Upm:Local</c>.</summary>
public sealed class LocalHostOptions
{
    public const string Section = "Upm:Local";

    /// <summary>The loopback port of the HTTP API (the Functions host's default, 7071).</summary>
    public int Port { get; set; } = 7071;

    /// <summary>
    /// The host's own files (today: the evidence signing key under <c>keys/</c>), outside any storage account. Default: the
    /// user's local application data folder (<c>~/.local/share/UpmDurable</c> on Linux), so every local host of the user
    /// signs with one key whatever folder it starts in.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>The options of a configuration (defaults where unset).</summary>
    public static LocalHostOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<LocalHostOptions>() ?? new LocalHostOptions();

    /// <summary>
    /// What the local host knows about itself: it answers on http://127.0.0.1:{Port}; its key file is in its data folder;
    /// it runs the sandbox unless <c>Upm:Sandbox:Enabled</c> is false (it is the demo and test host).
    /// </summary>
    public UpmHostDefaults HostDefaults() =>
        new($"http://127.0.0.1:{Port}", Path.Combine(ResolvedDataFolder(), "keys", "evidence-signing-key.pem"), SandboxEnabled: true);

    string ResolvedDataFolder()
    {
        if (!string.IsNullOrEmpty(DataFolder))
        {
            return Path.GetFullPath(DataFolder);
        }

        string user = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(user)
            ? throw new InvalidOperationException("No user data folder (HOME is unset): set Upm:Local:DataFolder or Upm:Evidence:SigningKeyFile.")
            : Path.Combine(user, "UpmDurable");
    }

    /// <summary>The Durable Task hub: queues, tables and blobs of the engine are named after it.</summary>
    public string TaskHub { get; set; } = "upmlocal";

    /// <summary>Control-queue partitions of the Azure Storage backend (1 to 16).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Longest wait between polls of an idle queue, in milliseconds (the backend's 30 s default makes idle latency seconds).</summary>
    public int MaxQueuePollingIntervalMs { get; set; } = 500;

    /// <summary>How long a partition lease lasts: after a crash, a restarted host resumes the partitions within about this time.</summary>
    public int PartitionLeaseSeconds { get; set; } = 15;

    /// <summary>How long a message (orchestration or activity) dequeued by a host that then crashed stays invisible (backend default: 5 minutes).</summary>
    public int MessageVisibilitySeconds { get; set; } = 30;

    /// <summary>Minutes between drift reconciliation sweeps (0 turns the schedule off).</summary>
    public int DriftSweepMinutes { get; set; } = 5;

    /// <summary>
    /// Keeps an orchestration's history in memory between episodes instead of reloading it (table rows and large-message
    /// blobs) from storage for every message batch.
    /// </summary>
    public bool ExtendedSessions { get; set; }

    /// <summary>How long an idle extended session stays in memory, in seconds.</summary>
    public int ExtendedSessionIdleSeconds { get; set; } = 30;

    /// <summary>Activities one host runs at once (the backend's default is 10).</summary>
    public int MaxConcurrentActivities { get; set; } = 10;

    /// <summary>Orchestration episodes one host runs at once (the backend's default is 100).</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;
}
