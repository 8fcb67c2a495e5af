using System.Globalization;
using System.Text.Json;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Configuration;
using UpmDurable.Workflows.Activities;
using Xunit;

namespace UpmDurable.Local.Tests;

/// <summary>
/// The Durable Task settings the Functions app runs with (host.json, or the extension's default where host.json is silent)
/// and those of the local host (LocalHostOptions defaults + appsettings.json, through <see cref="LocalDurableTask.BackendSettings"/>)
/// are the same, except for the differences listed here with their reason — the same rows as the table of
/// docs/operations-scale.md, which this test also checks.
/// </summary>
public sealed class DurableSettingsParityTests
{
    /// <summary>setting → why the two hosts differ. Mirrored, with both values, in docs/operations-scale.md.</summary>
    static readonly Dictionary<string, string> Differences = new(StringComparer.Ordinal)
    {
        ["hubName"] = "a local host pointed at the deployed storage account never joins the deployed app's hub",
        ["maxQueuePollingInterval"] = "idle polls are billed queue transactions in Azure; locally they are free and tests want sub-second pick-up",
        ["controlQueueVisibilityTimeout"] = "a SIGKILLed local host's messages reappear after this; Azure keeps the extension default until measured there",
        ["workItemQueueVisibilityTimeout"] = "as controlQueueVisibilityTimeout",
        ["controlQueueBufferThreshold"] = "each side keeps its framework's default (extension 256, backend 64); not tuned",
        ["maxConcurrentOrchestratorFunctions"] = "host.json caps a Flex instance; the local host keeps the backend default (no throughput difference measured)",
        ["useAppLease"] = "a restarted local host is a new worker; the app lease would hold its partitions for minutes",
        ["leaseInterval"] = "host.json cannot set partition leases (backend defaults); locally short so a killed host's partitions move within seconds",
        ["leaseRenewInterval"] = "as leaseInterval (a third of it locally)",
        ["leaseAcquireInterval"] = "as leaseInterval (a third of it locally)",
    };

    // The Durable Functions extension's defaults (WebJobs.Extensions.DurableTask 3.x: DurableTaskOptions, AzureStorageOptions)
    // for settings host.json leaves out; partition leases are not configurable there and come from the backend's defaults.
    static readonly Dictionary<string, string> ExtensionDefaults = new(StringComparer.Ordinal)
    {
        ["partitionCount"] = "4",
        ["maxQueuePollingInterval"] = Format(TimeSpan.FromSeconds(1)), // Flex Consumption (30 s on other plans)
        ["controlQueueVisibilityTimeout"] = Format(TimeSpan.FromMinutes(5)),
        ["workItemQueueVisibilityTimeout"] = Format(TimeSpan.FromMinutes(5)),
        ["controlQueueBatchSize"] = "32",
        ["controlQueueBufferThreshold"] = "256",
        ["useTablePartitionManagement"] = "true",
        ["useLegacyPartitionManagement"] = "false",
        ["maxConcurrentActivityFunctions"] = "10 × cores",
        ["maxConcurrentOrchestratorFunctions"] = "10 × cores",
        ["extendedSessionsEnabled"] = "false",
        ["extendedSessionIdleTimeoutInSeconds"] = "30",
        ["useAppLease"] = "true",
    };

    [Fact]
    public void Durable_settings_of_host_json_and_the_local_host_differ_only_where_the_reason_is_written_down()
    {
        Dictionary<string, string> azure = AzureSettings();
        Dictionary<string, string> local = LocalSettings();

        Assert.Equal(azure.Keys.Order(StringComparer.Ordinal), local.Keys.Order(StringComparer.Ordinal));
        var differing = azure.Keys.Where(k => azure[k] != local[k]).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            differing.SequenceEqual(Differences.Keys.Order(StringComparer.Ordinal)),
            "Durable settings differ between host.json and the local host outside the documented list (or a documented difference is gone):\n"
                + string.Join("\n", azure.Keys.Order(StringComparer.Ordinal).Select(k => $"{k}: host.json {azure[k]}, local {local[k]}{(Differences.ContainsKey(k) ? " (documented)" : string.Empty)}")));
    }

    [Fact]
    public void Every_documented_difference_is_a_row_of_the_operations_doc_with_both_values()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "operations-scale.md"));
        Dictionary<string, string> azure = AzureSettings();
        Dictionary<string, string> local = LocalSettings();

        foreach (string key in Differences.Keys)
        {
            string row = $"| `{key}` | {azure[key]} | {local[key]} |";
            Assert.True(doc.Contains(row, StringComparison.Ordinal), $"docs/operations-scale.md has no row starting \"{row}\"");
        }
    }

    [Fact]
    public void Function_timeout_leaves_room_above_the_longest_activity_budget()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")));
        TimeSpan timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromMinutes(30), timeout);
        Assert.True(ActivityBudget.Limit + TimeSpan.FromMinutes(5) <= timeout, $"an activity may work {ActivityBudget.Limit}, too close to functionTimeout {timeout}");
    }

    static Dictionary<string, string> AzureSettings()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")));
        JsonElement durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        JsonElement storage = durable.TryGetProperty("storageProvider", out JsonElement s) ? s : default;
        var backend = new AzureStorageOrchestrationServiceSettings();

        string Read(JsonElement section, string name, string fallback = "")
        {
            if (section.ValueKind != JsonValueKind.Object || !section.TryGetProperty(name, out JsonElement value))
            {
                return fallback.Length > 0 ? fallback : ExtensionDefaults[name];
            }

            return value.ValueKind switch
            {
                JsonValueKind.String when TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out TimeSpan span) => Format(span),
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean() ? "true" : "false",
                _ => value.ToString(),
            };
        }

        string idleSeconds = Read(durable, "extendedSessionIdleTimeoutInSeconds");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hubName"] = durable.GetProperty("hubName").GetString()!,
            ["partitionCount"] = Read(storage, "partitionCount"),
            ["maxQueuePollingInterval"] = Read(storage, "maxQueuePollingInterval"),
            ["controlQueueVisibilityTimeout"] = Read(storage, "controlQueueVisibilityTimeout"),
            ["workItemQueueVisibilityTimeout"] = Read(storage, "workItemQueueVisibilityTimeout"),
            ["controlQueueBatchSize"] = Read(storage, "controlQueueBatchSize"),
            ["controlQueueBufferThreshold"] = Read(storage, "controlQueueBufferThreshold"),
            ["useTablePartitionManagement"] = Read(storage, "useTablePartitionManagement"),
            ["useLegacyPartitionManagement"] = Read(storage, "useLegacyPartitionManagement"),
            ["maxConcurrentActivityFunctions"] = Read(durable, "maxConcurrentActivityFunctions"),
            ["maxConcurrentOrchestratorFunctions"] = Read(durable, "maxConcurrentOrchestratorFunctions"),
            ["extendedSessionsEnabled"] = Read(durable, "extendedSessionsEnabled"),
            ["extendedSessionIdleTimeout"] = int.TryParse(idleSeconds, CultureInfo.InvariantCulture, out int seconds) ? Format(TimeSpan.FromSeconds(seconds)) : idleSeconds,
            ["useAppLease"] = Read(durable, "useAppLease"),
            ["leaseInterval"] = Format(backend.LeaseInterval),
            ["leaseRenewInterval"] = Format(backend.LeaseRenewInterval),
            ["leaseAcquireInterval"] = Format(backend.LeaseAcquireInterval),
        };
    }

    static Dictionary<string, string> LocalSettings()
    {
        var options = new LocalHostOptions();
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "src", "UpmDurable.Local", "appsettings.json")).Build()
            .GetSection(LocalHostOptions.Section).Bind(options);
        AzureStorageOrchestrationServiceSettings settings = LocalDurableTask.BackendSettings(options, "UseDevelopmentStorage=true");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hubName"] = settings.TaskHubName,
            ["partitionCount"] = settings.PartitionCount.ToString(CultureInfo.InvariantCulture),
            ["maxQueuePollingInterval"] = Format(settings.MaxQueuePollingInterval),
            ["controlQueueVisibilityTimeout"] = Format(settings.ControlQueueVisibilityTimeout),
            ["workItemQueueVisibilityTimeout"] = Format(settings.WorkItemQueueVisibilityTimeout),
            ["controlQueueBatchSize"] = settings.ControlQueueBatchSize.ToString(CultureInfo.InvariantCulture),
            ["controlQueueBufferThreshold"] = settings.ControlQueueBufferThreshold.ToString(CultureInfo.InvariantCulture),
            ["useTablePartitionManagement"] = settings.UseTablePartitionManagement ? "true" : "false",
            ["useLegacyPartitionManagement"] = settings.UseLegacyPartitionManagement ? "true" : "false",
            ["maxConcurrentActivityFunctions"] = settings.MaxConcurrentTaskActivityWorkItems.ToString(CultureInfo.InvariantCulture),
            ["maxConcurrentOrchestratorFunctions"] = settings.MaxConcurrentTaskOrchestrationWorkItems.ToString(CultureInfo.InvariantCulture),
            ["extendedSessionsEnabled"] = settings.ExtendedSessionsEnabled ? "true" : "false",
            ["extendedSessionIdleTimeout"] = Format(settings.ExtendedSessionIdleTimeout),
            ["useAppLease"] = settings.UseAppLease ? "true" : "false",
            ["leaseInterval"] = Format(settings.LeaseInterval),
            ["leaseRenewInterval"] = Format(settings.LeaseRenewInterval),
            ["leaseAcquireInterval"] = Format(settings.LeaseAcquireInterval),
        };
    }

    /// <summary>A duration as the doc's table writes it: <c>500 ms</c>, <c>30 s</c>, <c>5 min</c>.</summary>
    static string Format(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
        { TotalSeconds: >= 60 } when span.TotalSeconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s"),
    };

    static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpmDurable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("UpmDurable.sln not found above " + AppContext.BaseDirectory);
    }
}
