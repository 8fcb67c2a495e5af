using System.Text.Json;
using System.Text.Json.Nodes;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using Xunit;
using static UpmDurable.Core.Tests.KpiCalculatorTests;

namespace UpmDurable.Core.Tests;

public sealed class SimulatedRunsTests
{
    static StepRecord Step(string cmd = "az aks create --name aks-1") => new() { StepId = "az_aks/aks-1", Wave = 1, Cmd = cmd, Rc = 0, Outcome = "created" };

    [Theory]
    [InlineData("sandbox", true)]
    [InlineData("azure", false)]
    [InlineData("cli", false)]
    [InlineData("a-provider-nobody-listed", true)]
    [InlineData(null, true)]
    public void Only_listed_real_providers_are_real(string? provider, bool simulated) =>
        Assert.Equal(simulated, SimulatedRuns.IsSimulatedProvider(provider));

    [Fact]
    public void A_change_is_simulated_exactly_when_its_provider_is()
    {
        ChangeRecord sandbox = Change("s", ChangeStatuses.Completed);
        ChangeRecord cli = sandbox with { Intent = sandbox.Intent with { Provider = "cli" } };

        Assert.Equal("sandbox", sandbox.Intent.Provider);
        Assert.True(sandbox.Simulated);
        Assert.False(cli.Simulated);
    }

    [Fact]
    public void A_simulated_step_moves_its_command_to_would_run_and_says_simulated_in_cmd()
    {
        StepRecord marked = SimulatedRuns.Mark("sandbox", Step());

        Assert.True(marked.Simulated);
        Assert.Equal("az aks create --name aks-1", marked.WouldRun);
        Assert.Equal("simulated: az aks create --name aks-1", marked.Cmd);
        Assert.False(marked.Cmd.StartsWith("az ", StringComparison.Ordinal));
        Assert.Equal(marked, SimulatedRuns.Mark("sandbox", marked));
    }

    [Fact]
    public void A_real_step_is_left_as_it_ran_and_its_json_carries_no_simulated_field()
    {
        StepRecord real = SimulatedRuns.Mark("cli", Step());

        Assert.Equal(Step(), real);
        JsonObject json = JsonNode.Parse(UpmJson.Serialize(real))!.AsObject();
        Assert.False(json.ContainsKey("simulated"));
        Assert.False(json.ContainsKey("would_run"));
    }

    [Fact]
    public void The_change_record_answers_simulated_true_or_false_even_when_stored_before_the_field_existed()
    {
        ChangeRecord sandbox = Change("s", ChangeStatuses.Completed);
        JsonObject written = JsonNode.Parse(UpmJson.Serialize(sandbox))!.AsObject();
        Assert.True(written["simulated"]!.GetValue<bool>());

        // A record stored before the field existed: read back, it still says what it is, from its intent.
        written.Remove("simulated");
        ChangeRecord old = UpmJson.Deserialize<ChangeRecord>(written.ToJsonString())!;
        Assert.True(old.Simulated);
        ChangeRecord cli = UpmJson.Deserialize<ChangeRecord>(UpmJson.Serialize(sandbox with { Intent = sandbox.Intent with { Provider = "cli" } }))!;
        Assert.False(JsonNode.Parse(UpmJson.Serialize(cli))!["simulated"]!.GetValue<bool>());
    }

    [Fact]
    public void Redaction_covers_the_would_be_command_of_a_simulated_step()
    {
        StepRecord marked = SimulatedRuns.Mark("sandbox", Step("az storage account create --name s1 --account-key=abc123secret"));

        StepRecord redacted = Core.Validation.SecretScreen.Redact(marked);

        Assert.DoesNotContain("abc123secret", JsonSerializer.Serialize(redacted), StringComparison.Ordinal);
        Assert.True(redacted.Simulated);
    }
}
