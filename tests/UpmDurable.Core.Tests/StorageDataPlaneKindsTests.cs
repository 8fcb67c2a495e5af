using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class StorageDataPlaneKindsTests
{
    static string Json(object resource, string provider = "cli") =>
        JsonSerializer.Serialize(new { request = "storage", tenant = "acme", target = new { provider, resources = new[] { resource } } });

    static ChangeSpec Valid(object resource, string provider = "cli") =>
        ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(Json(resource, provider), UpmJson.StrictRequest));

    static IReadOnlyDictionary<string, string[]> Errors(object resource, string provider = "cli") =>
        Assert.Throws<ChangeValidationException>(() => Valid(resource, provider)).Errors.ToDictionary();

    [Fact]
    public void Container_queue_and_table_compile_to_az_storage_commands_without_any_credential()
    {
        var spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(
            """
            {"request": "storage", "tenant": "acme", "target": {"provider": "cli", "resources": [
              {"type": "az_storage_container", "name": "logs", "properties": {"team": "alpha", "retention_days": 30}},
              {"type": "az_storage_queue", "name": "jobs", "properties": {"team": "alpha"}},
              {"type": "az_storage_table", "name": "Orders"}]}}
            """, UpmJson.StrictRequest));
        var steps = PlanCompiler.Compile(spec).Steps.ToDictionary(s => s.Id);

        Assert.Equal("az storage container create --name logs --metadata retention_days=30 team=alpha --output json", steps["az_storage_container/logs"].Command);
        Assert.Equal("az storage container show --name logs --output json", steps["az_storage_container/logs"].ReadBack);
        Assert.Equal("az storage container delete --name logs --output json", steps["az_storage_container/logs"].Rollback);
        Assert.Equal("az storage queue create --name jobs --metadata team=alpha --output json", steps["az_storage_queue/jobs"].Command);
        Assert.Equal("az storage queue metadata show --name jobs --output json", steps["az_storage_queue/jobs"].ReadBack);
        Assert.Equal("az storage table create --name Orders --output json", steps["az_storage_table/Orders"].Command);
        Assert.Equal("az storage table exists --name Orders --output json", steps["az_storage_table/Orders"].ReadBack);
        Assert.All(steps.Values, s => Assert.DoesNotContain("connection-string", s.Command + s.ReadBack + s.Rollback, StringComparison.Ordinal));
        Assert.All(steps.Values, s => Assert.DoesNotContain("account-key", s.Command + s.ReadBack + s.Rollback, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("az_storage_container", "ab")]
    [InlineData("az_storage_container", "Logs")]
    [InlineData("az_storage_container", "a--b")]
    [InlineData("az_storage_container", "logs-")]
    [InlineData("az_storage_container", "my_logs")]
    [InlineData("az_storage_queue", "Jobs")]
    [InlineData("az_storage_queue", "jo.bs")]
    [InlineData("az_storage_table", "1orders")]
    [InlineData("az_storage_table", "or-ders")]
    [InlineData("az_storage_table", "tables")]
    [InlineData("az_storage_table", "ab")]
    public void A_name_that_is_not_a_valid_storage_name_is_refused_naming_the_field(string type, string name)
    {
        var errors = Errors(new { type, name });

        Assert.Equal(["target.resources[0].name"], errors.Keys);
    }

    [Theory]
    [InlineData("Team")]
    [InlineData("1team")]
    [InlineData("team-name")]
    [InlineData("upm_change")]
    public void A_metadata_name_that_azure_or_upm_would_refuse_is_refused(string key)
    {
        var errors = Errors(new { type = "az_storage_container", name = "logs", properties = new Dictionary<string, string> { [key] = "x" } });

        Assert.Equal([$"target.resources[0].properties.{key}"], errors.Keys);
    }

    [Fact]
    public void A_metadata_value_with_shell_characters_is_refused()
    {
        var errors = Errors(new { type = "az_storage_queue", name = "jobs", properties = new { team = "a b;rm" } });

        Assert.Equal(["target.resources[0].properties.team"], errors.Keys);
    }

    [Fact]
    public void Tables_take_no_properties()
    {
        var errors = Errors(new { type = "az_storage_table", name = "Orders", properties = new { team = "alpha" } });

        Assert.Equal(["target.resources[0].properties.team"], errors.Keys);
    }

    [Fact]
    public void The_cli_provider_refuses_types_it_cannot_run_and_the_sandbox_still_simulates_storage_kinds()
    {
        var errors = Errors(new { type = "az_resource_group", name = "rg-x", location = "eastus" });

        Assert.Equal(["target.resources[0].type"], errors.Keys);
        Assert.Equal("sandbox", Valid(new { type = "az_storage_container", name = "logs" }, "sandbox").Provider);
    }
}
