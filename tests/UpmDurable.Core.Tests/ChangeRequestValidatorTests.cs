using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class ChangeRequestValidatorTests
{
    static ChangeSpec Validate(string json) => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest));

    static IReadOnlyDictionary<string, string[]> Errors(string json) =>
        Assert.Throws<ChangeValidationException>(() => Validate(json)).Errors.ToDictionary();

    [Fact]
    public void Documented_defaults_are_applied()
    {
        ChangeSpec spec = Validate("""{"request": "ns", "tenant": "acme", "target": {"resources": [{"type": "k8s_namespace", "name": "a"}]}}""");

        Assert.Equal("api", spec.Source);
        Assert.Equal("team", spec.Visibility);
        Assert.Equal("sandbox", spec.Provider);
        Assert.Equal(["platform-owners"], spec.ApprovalGroups);
        Assert.Equal(1, spec.ApprovalsRequired);
        Assert.Equal("P3D", spec.ApprovalTimeout);
        Assert.Equal("report", spec.DriftMode);
    }

    [Fact]
    public void Every_bad_field_is_named()
    {
        var errors = Errors("""
            {"tenant": "Acme Corp", "source": "email", "approvals": {"required": 11, "timeout": "soon"},
             "target": {"resources": [
               {"type": "az_teleporter", "name": "t"},
               {"type": "k8s_namespace", "name": "x$(reboot)"},
               {"type": "k8s_namespace", "name": "dup"},
               {"type": "k8s_namespace", "name": "dup"},
               {"type": "az_aks", "name": "k", "resource_group": "rg", "properties": {"colour": "red", "node_count": "2; rm -rf /"}}]}}
            """);

        Assert.Contains("request", errors.Keys);
        Assert.Contains("tenant", errors.Keys);
        Assert.Contains("source", errors.Keys);
        Assert.Contains("approvals.required", errors.Keys);
        Assert.Contains("approvals.timeout", errors.Keys);
        Assert.Contains("target.resources[0].type", errors.Keys);
        Assert.Contains("target.resources[1].name", errors.Keys);
        Assert.Contains("target.resources[3].name", errors.Keys);
        Assert.Contains("target.resources[4].properties.colour", errors.Keys);
        Assert.Contains("target.resources[4].properties.node_count", errors.Keys);
    }

    [Fact]
    public void The_health_gate_may_sit_under_rollout_as_in_the_contract_or_at_the_top_but_not_both()
    {
        const string Resources = """ "target": {"resources": [{"type": "k8s_namespace", "name": "a"}]} """;
        ChangeSpec nested = Validate($$$"""{"request": "x", "tenant": "acme", "rollout": {"max_parallel": 10, "health_gate": {"min_healthy_percent": 100, "observe_seconds": 30}}, {{{Resources}}}}""");
        ChangeSpec top = Validate($$$"""{"request": "x", "tenant": "acme", "health_gate": {"min_healthy_percent": 100, "observe_seconds": 30}, {{{Resources}}}}""");

        Assert.Equal(new HealthGate(30, 10, 100, "pause"), nested.HealthGate);
        Assert.Equal(nested.HealthGate, top.HealthGate);
        Assert.Contains("rollout.health_gate.observe_seconds", Errors($$$"""{"request": "x", "tenant": "acme", "rollout": {"health_gate": {"observe_seconds": -1}}, {{{Resources}}}}""").Keys);
        Assert.Contains("rollout.health_gate", Errors($$$"""{"request": "x", "tenant": "acme", "rollout": {"health_gate": {}}, "health_gate": {}, {{{Resources}}}}""").Keys);
    }

    [Fact]
    public void Missing_resources_are_named()
    {
        Assert.Contains("target.resources", Errors("""{"request": "x", "tenant": "acme", "target": {}}""").Keys);
        Assert.Contains("target", Errors("""{"request": "x", "tenant": "acme"}""").Keys);
    }

    [Fact]
    public void Unknown_fields_are_refused_by_the_strict_reader()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ChangeRequest>("""{"request": "x", "tenant": "acme", "colour": 1}""", UpmJson.StrictRequest));
        Assert.Contains("colour", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P3D", 3 * 24 * 3600)]
    [InlineData("PT30S", 30)]
    [InlineData("PT1H30M", 5400)]
    public void Iso_durations_are_parsed(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ChangeRequestValidator.ParseDuration(text));
}
