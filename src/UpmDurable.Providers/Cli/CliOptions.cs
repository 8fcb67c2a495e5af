using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Cli;

/// <summary>Settings of the <c>cli</c> provider (<c>Upm:Cli</c>).</summary>
public sealed class CliOptions
{
    public const string Section = "Upm:Cli";

    /// <summary>The storage account the <c>az storage</c> commands act on. No default: the provider is disabled without it, and
    /// when it names the service's own account (whose tables and containers hold every tenant's records, evidence and keys).
    /// Passed to <c>az</c> only as <c>AZURE_STORAGE_CONNECTION_STRING</c>, never on a command line.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>A tool manifest JSON file (see <see cref="ToolManifest"/>); without it, <see cref="DefaultManifest"/>.</summary>
    public string? ToolManifestPath { get; set; }

    /// <summary>Timeout of one command attempt (a command step's own <c>timeout</c> wins).</summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>The Azure CLI's config folder; default: a private folder under the temp folder, created at start and deleted at stop.</summary>
    public string? AzureConfigDir { get; set; }

    /// <summary>How long a passing tool check is reused by pre-flight.</summary>
    public int ToolCheckCacheSeconds { get; set; } = 300;

    /// <summary>The Azure CLI from Debian's <c>azure-cli</c> package, pinned at 2.45.0. <c>az version</c> reads installed
    /// package versions only (<c>az --version</c> would look for updates online).</summary>
    public static ToolManifest DefaultManifest { get; } = ToolManifest.From(
    [
        new ToolSpec
        {
            Name = "az",
            Path = "/usr/bin/az",
            Version = "2.45.0",
            VersionArgs = ["version", "--output", "json"],
            VersionPattern = "\"azure-cli\"\\s*:\\s*\"(\\d+\\.\\d+\\.\\d+)\"",
        },
    ]);
}
