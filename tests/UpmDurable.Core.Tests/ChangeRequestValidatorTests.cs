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
