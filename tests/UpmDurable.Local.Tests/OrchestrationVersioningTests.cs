using System.Text.Json;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using UpmDurable.Workflows;
using Xunit;

namespace UpmDurable.Local.Tests;

/// <summary>
/// One version source (<see cref="WorkflowVersion"/>): the local worker's versioning and host.json's
/// <c>defaultVersion</c> / <c>versionMatchStrategy</c> / <c>versionFailureStrategy</c> say the same thing.
/// </summary>
public sealed class OrchestrationVersioningTests
{
    [Fact]
    public void Host_json_runs_the_apps_version_with_the_local_workers_match_and_failure_strategies()
    {
        JsonElement durable = HostJsonDurableTask();
        DurableTaskWorkerOptions.VersioningOptions local = LocalDurableTask.Versioning(WorkflowVersion.From(new ConfigurationBuilder().Build()));

        Assert.Equal(WorkflowVersion.AppVersion, durable.GetProperty("defaultVersion").GetString());
        Assert.Equal(WorkflowVersion.AppVersion, local.Version);
        Assert.Equal(local.Version, local.DefaultVersion);
        Assert.Equal(local.MatchStrategy.ToString(), durable.GetProperty("versionMatchStrategy").GetString());
        Assert.Equal(local.FailureStrategy.ToString(), durable.GetProperty("versionFailureStrategy").GetString());
        Assert.Equal(DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder, local.MatchStrategy);
        Assert.Equal(DurableTaskWorkerOptions.VersionFailureStrategy.Reject, local.FailureStrategy);
    }

    [Fact]
    public void The_app_version_is_the_assembly_version_without_build_metadata()
    {
        Assert.DoesNotContain('+', WorkflowVersion.AppVersion);
        Assert.True(Version.TryParse(WorkflowVersion.AppVersion, out _), WorkflowVersion.AppVersion);
    }

    [Fact]
    public void Upm_Workflows_Version_overrides_the_app_version_for_worker_and_client()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new(WorkflowVersion.Key, "2.0")]).Build();

        DurableTaskWorkerOptions.VersioningOptions local = LocalDurableTask.Versioning(WorkflowVersion.From(configuration));

        Assert.Equal(("2.0", "2.0"), (local.Version, local.DefaultVersion));
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("2")]
    [InlineData("2.0-beta")]
    [InlineData("1.0.0+abc")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.0; rm -rf /")]
    public void A_version_that_would_not_compare_as_numbers_stops_the_host_naming_the_setting(string value)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new(WorkflowVersion.Key, value)]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => WorkflowVersion.From(configuration));

        Assert.Contains(WorkflowVersion.Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("1.0.0", "1.0.0")]
    public void An_orchestration_started_before_versioning_shows_no_version(string? contextVersion, string? shown)
    {
        Assert.Equal(shown, WorkflowVersion.OfOrchestration(contextVersion));
    }

    static JsonElement HostJsonDurableTask()
    {
        string root = AppContext.BaseDirectory;
        for (DirectoryInfo? dir = new(root); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpmDurable.sln")))
            {
                using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "host.json")));
                return host.RootElement.GetProperty("extensions").GetProperty("durableTask").Clone();
            }
        }

        throw new InvalidOperationException("UpmDurable.sln not found above " + root);
    }
}
