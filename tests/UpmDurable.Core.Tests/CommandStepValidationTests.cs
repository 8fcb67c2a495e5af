using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class CommandStepValidationTests
{
    static IReadOnlyDictionary<string, string[]> Errors(string command, string? readBack = null)
    {
        var step = new Dictionary<string, object?> { ["type"] = "command", ["name"] = "label-ns", ["command"] = command };
        if (readBack is not null)
        {
            step["read_back"] = readBack;
        }

        string json = JsonSerializer.Serialize(new { request = "label", tenant = "acme", target = new { provider = "cli", resources = new[] { step } } });
        return Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest)))
            .Errors.ToDictionary();
    }

    [Theory]
    [InlineData("az storage queue exists -n a; rm -rf /", ";", 28)]
    [InlineData("az storage queue list && reboot", "&&", 22)]
    [InlineData("az storage queue list $(whoami)", "$(", 22)]
    [InlineData("az storage queue list > /etc/passwd", ">", 22)]
    public void A_shell_meta_is_refused_at_compile_time_naming_step_meta_and_position(string command, string meta, int position)
    {
        string message = Assert.Single(Errors(command)["target.resources[0].command"]);

        Assert.Contains("label-ns", message, StringComparison.Ordinal);
        Assert.Contains($"'{meta}'", message, StringComparison.Ordinal);
        Assert.Contains(position.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipe_into_a_program_outside_the_allow_list_is_refused_and_an_allowed_pipe_is_not()
    {
        var refused = Errors("az storage queue list -o json", "az storage queue exists -n a -o json | bash");
        Assert.Contains("'bash'", Assert.Single(refused["target.resources[0].read_back"]), StringComparison.Ordinal);

        var step = new { type = "command", name = "label-ns", command = "az storage queue list -o json", read_back = "az storage queue metadata show -n a -o json | jq .labels | wc -l" };
        string json = JsonSerializer.Serialize(new { request = "label", tenant = "acme", target = new { provider = "cli", resources = new[] { step } } });
        ChangeSpec allowed = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest));
        Assert.Equal("cli", allowed.Provider);
    }
}
