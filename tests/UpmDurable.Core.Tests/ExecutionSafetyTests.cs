using System.Text.Json;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Blast-radius limits, health-gate and verify-failure settings, and rollback commands of every catalog type.</summary>
public sealed class ExecutionSafetyTests
{
    static List<DryRunEntry> Creates(Plan plan) => plan.Steps.Select(s => new DryRunEntry(s.Id, "create", s.Command)).ToList();

    [Fact]
    public void Blast_radius_refuses_a_change_over_the_resource_limit_naming_the_limit()
    {
        Plan plan = TestChanges.Compile(TestChanges.Namespaces(5)).Plan;
        var checks = new BlastRadiusOptions { MaxResourcesPerChange = 3 }.Check(plan, Creates(plan)).ToList();

        PreflightCheck resources = checks.Single(c => c.Target == "resources");
        Assert.False(resources.Ok);
        Assert.Contains("touches 5 resources; the limit is 3", resources.Message, StringComparison.Ordinal);
        Assert.All(checks.Where(c => c.Target != "resources"), c => Assert.True(c.Ok));
    }

    [Fact]
    public void Blast_radius_counts_the_widest_wave_and_updates_of_existing_resources_as_destructive()
    {
        Plan plan = TestChanges.Compile(TestChanges.Namespaces(4)).Plan;
        var dryRun = Creates(plan);
        dryRun[0] = dryRun[0] with { Action = "update" };
        dryRun[1] = dryRun[1] with { Action = "update" };
        var options = new BlastRadiusOptions { MaxStepsPerWave = 3, MaxDestructiveSteps = 1 };

        var checks = options.Check(plan, dryRun).ToDictionary(c => c.Target);
        Assert.False(checks["steps_per_wave"].Ok);
        Assert.Contains("a wave runs 4 steps", checks["steps_per_wave"].Message, StringComparison.Ordinal);
        Assert.False(checks["destructive_steps"].Ok);
        Assert.Contains("2 steps change existing resources", checks["destructive_steps"].Message, StringComparison.Ordinal);
        Assert.True(new BlastRadiusOptions().Check(plan, dryRun).All(c => c.Ok));
    }

    [Fact]
    public void Health_gate_and_verify_failure_settings_get_defaults_and_bad_values_name_their_field()
    {
        ChangeSpec spec = TestChanges.Spec(TestChanges.Namespaces(1, ", \"health_gate\": {\"observe_seconds\": 30}, \"on_verify_failure\": \"pause\""));
        Assert.Equal(new HealthGate(30, 10, 100, "pause"), spec.HealthGate);
        Assert.Equal("pause", spec.OnVerifyFailure);
        Assert.Null(TestChanges.Spec(TestChanges.Namespaces(1)).HealthGate);
        Assert.Equal("rollback", TestChanges.Spec(TestChanges.Namespaces(1)).OnVerifyFailure);

        var error = Assert.Throws<ChangeValidationException>(() => TestChanges.Spec(TestChanges.Namespaces(1,
            ", \"health_gate\": {\"observe_seconds\": -1, \"min_healthy_percent\": 101, \"on_failure\": \"ignore\", \"probe_interval_seconds\": 0}, \"on_verify_failure\": \"shrug\"")));
        Assert.Equivalent(
            new[] { "health_gate.observe_seconds", "health_gate.min_healthy_percent", "health_gate.on_failure", "health_gate.probe_interval_seconds", "on_verify_failure" },
            error.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_provider_is_accepted_only_when_the_host_enables_it()
    {
        string azure = "{\"request\": \"rg\", \"tenant\": \"acme\", \"target\": {\"provider\": \"azure\", \"resources\": [{\"type\": \"az_resource_group\", \"name\": \"rg-a\", \"location\": \"eastus\"}]}}";
        var request = JsonSerializer.Deserialize<ChangeRequest>(azure, Json.UpmJson.StrictRequest);

        var refused = Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(request));
        Assert.Contains("not enabled on this host; enabled: cli, sandbox", refused.Errors.ToDictionary()["target.provider"][0], StringComparison.Ordinal);
        Assert.Equal("azure", ChangeRequestValidator.Validate(request, new HashSet<string> { "sandbox", "azure" }).Provider);
    }

    public static TheoryData<string> CatalogTypes() => new(ResourceCatalog.Kinds.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CatalogTypes))]
    public void Every_catalog_type_has_a_rollback_command_that_passes_the_guard_rails(string type)
    {
        ResourceKind kind = ResourceCatalog.Kinds[type];
        var resource = new ResourceSpec
        {
            Type = type,
            Name = "upmrollback1",
            Location = "eastus",
            ResourceGroup = "rg-demo",
            Cluster = "aks-demo",
            Namespace = "team-alpha",
            Properties = [],
            Command = "kubectl create configmap upmrollback1",
            ReadBack = "kubectl get configmap upmrollback1 -o json",
            Rollback = "kubectl delete configmap upmrollback1",
        };

        string rollback = kind.Delete(resource);
        Assert.False(string.IsNullOrWhiteSpace(rollback));
        Assert.Contains("upmrollback1", rollback, StringComparison.Ordinal);
        ParsedCommandLine parsed = CommandGuard.Check(rollback, Canonicals.DefaultPipeAllowList);
        Assert.NotEmpty(parsed.Segments);
    }
}
