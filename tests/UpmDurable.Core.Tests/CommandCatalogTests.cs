using System.Text.Json;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Command steps run catalog sub-commands with their allowed options only; the catalog classifies destructive and mutating verbs.</summary>
public sealed class CommandCatalogTests
{
    [Theory]
    [InlineData("az storage blob download --file /tmp/x", "az", "storage blob download")]
    [InlineData("az storage blob delete-batch -s x", "az", "storage blob delete-batch")]
    [InlineData("az storage container delete -n x", "az", "storage container delete")]
    [InlineData("az storage container create --name x", "az", "storage container create")]
    [InlineData("az storage container metadata update --name x --metadata a=b", "az", "storage container metadata update")]
    [InlineData("az login", "az", "login")]
    [InlineData("az rest --method get --url https://example.org", "az", "rest")]
    [InlineData("az extension add --name evil", "az", "extension add")]
    [InlineData("az storage account keys list -n st1", "az", "storage account keys list")]
    [InlineData("az group delete --name rg1 --yes", "az", "group delete")]
    [InlineData("az", "az", "")]
    [InlineData("kubectl-1.29 create namespace ns-x", "kubectl-1.29", "create namespace ns-x")]
    [InlineData("kubectl-1.29 get ns", "kubectl-1.29", "get ns")]
    [InlineData("bash -c id", "bash", "")]
    [InlineData("python3 -c 1", "python3", "")]
    public void A_sub_command_outside_the_catalog_is_refused_naming_tool_and_sub_command(string line, string tool, string subCommand)
    {
        var ex = Assert.Throws<SubCommandRefusedException>(() => CommandGuard.CheckCommandStep(line, CommandCatalog.Default));

        Assert.Equal("subcommand_refused", ex.Reason);
        Assert.Equal(tool, ex.Tool);
        Assert.Equal(subCommand, ex.SubCommand);
        Assert.Equal(0, ex.Position);
        Assert.Contains("az storage container list", ex.Allowed);
        Assert.Contains("az storage container list", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az storage container show --name @/etc/passwd", "@/etc/passwd", 33)]
    [InlineData("az storage container show --name=@/etc/passwd", "@/etc/passwd", 33)]
    [InlineData("az storage container list --query @/tmp/q", "@/tmp/q", 34)]
    [InlineData("az storage container list -o@/tmp/q", "@/tmp/q", 28)]
    [InlineData("az storage container list --account-name evil", "--account-name", 26)]
    [InlineData("az storage container list --auth-mode login", "--auth-mode", 26)]
    [InlineData("az storage container list --blob-endpoint https://evil.example", "--blob-endpoint", 26)]
    [InlineData("az storage container list --subscription x", "--subscription", 26)]
    [InlineData("az storage container list --debug", "--debug", 26)]
    [InlineData("az storage container list --out json", "--out", 26)]
    [InlineData("az storage container list --output xml", "xml", 35)]
    [InlineData("az storage container list --num-results many", "many", 40)]
    [InlineData("az storage container show --name a extra", "extra", 35)]
    [InlineData("az storage container show --name 'a b'", "a b", 34)]
    [InlineData("az storage queue exists --name q1 --prefix x", "--prefix", 34)]
    [InlineData("az version --verbose", "--verbose", 11)]
    [InlineData("az version -vo json", "-v", 11)]
    [InlineData("az storage table list --include-metadata", "--include-metadata", 22)]
    [InlineData("az storage container list --include-metadata=yes", "--include-metadata=yes", 26)]
    [InlineData("az storage container list --query --debug", "--debug", 34)]
    [InlineData("az storage container list --query", "--query", 26)]
    public void An_option_or_operand_outside_the_entry_is_refused_with_its_position(string line, string argument, int position)
    {
        var ex = Assert.Throws<ArgumentRefusedException>(() => CommandGuard.CheckCommandStep(line, CommandCatalog.Default));

        Assert.Equal("argument_refused", ex.Reason);
        Assert.Equal(1, ex.Stage);
        Assert.Equal("az", ex.Program);
        Assert.Equal(argument, ex.Argument);
        Assert.Equal(position, ex.Position);
    }

    [Theory]
    [InlineData("az storage container list --output json | jq -r '.[].name' | sort | uniq -c | head -n 5", "storage container list")]
    [InlineData("az storage container show --name missing-x --output json", "storage container show")]
    [InlineData("az storage container show -n '$logs' -o tsv --query name", "storage container show")]
    [InlineData("az storage container exists --name c1 --timeout 30 --only-show-errors", "storage container exists")]
    [InlineData("az storage container metadata show --name c1 -o json", "storage container metadata show")]
    [InlineData("az storage container list --include-metadata --prefix logs --num-results 5", "storage container list")]
    [InlineData("az storage queue list --output=table", "storage queue list")]
    [InlineData("az storage queue exists -n q1", "storage queue exists")]
    [InlineData("az storage queue metadata show -n q1 --query 'a[?x==`1`]'", "storage queue metadata show")]
    [InlineData("az storage table list --num-results 10", "storage table list")]
    [InlineData("az storage table exists --name t1 -o json | jq .exists", "storage table exists")]
    [InlineData("az version -o json | jq -r '.\"azure-cli\"'", "version")]
    public void Catalog_commands_pass_as_read_only(string line, string subCommand)
    {
        CheckedCommand checkedCommand = CommandGuard.CheckCommandStep(line, CommandCatalog.Default);

        Assert.Equal("az", checkedCommand.Tool);
        Assert.Equal(subCommand, checkedCommand.SubCommand);
        Assert.False(checkedCommand.Destructive);
        Assert.False(checkedCommand.Mutating);
    }

    [Fact]
    public void Pipe_stages_of_a_command_step_are_guarded_too()
    {
        var ex = Assert.Throws<ArgumentRefusedException>(() => CommandGuard.CheckCommandStep("az storage container list | sort -o /tmp/x", CommandCatalog.Default));

        Assert.Equal(2, ex.Stage);
        Assert.Equal("-o", ex.Argument);
    }

    [Fact]
    public void Policy_can_add_entries_and_the_result_says_whether_they_mutate_or_destroy()
    {
        CommandCatalog wider = CommandCatalog.Default.With(
        [
            new CatalogEntry("az", "storage container metadata update", [new("--name", "-n", CatalogValue.Name), new("--metadata", null, CatalogValue.Text)]),
            new CatalogEntry("az", "storage container delete", [new("--name", "-n", CatalogValue.Name)]),
        ]);

        CheckedCommand update = CommandGuard.CheckCommandStep("az storage container metadata update -n c1 --metadata a=b", wider);
        CheckedCommand delete = CommandGuard.CheckCommandStep("az storage container delete -n c1", wider);

        Assert.True(update.Mutating);
        Assert.False(update.Destructive);
        Assert.True(delete.Mutating && delete.Destructive);
        Assert.Throws<SubCommandRefusedException>(() => CommandGuard.CheckCommandStep("az storage container delete -n c1", CommandCatalog.Default));
        Assert.Throws<ArgumentRefusedException>(() => CommandGuard.CheckCommandStep("az storage container metadata update -n c1 --metadata @/etc/passwd", wider));
    }

    [Theory]
    [InlineData("az storage container delete --name x --output json", true, true)]
    [InlineData("az storage blob delete-batch -s x", true, true)]
    [InlineData("az keyvault purge --name kv", true, true)]
    [InlineData("kubectl-1.29 delete namespace ns1", true, true)]
    [InlineData("kubectl-1.29 create namespace delete", false, true)]
    [InlineData("kubectl-1.29 get namespace delete -o json", false, false)]
    [InlineData("az storage container show --name delete", false, false)]
    [InlineData("az storage queue metadata update --name q", false, true)]
    [InlineData("az storage container frobnicate --name q", false, true)]
    [InlineData("az version", false, false)]
    public void Effect_comes_from_the_verb_not_a_word_anywhere(string line, bool destructive, bool mutating)
    {
        CommandEffect effect = CommandCatalog.Classify(CommandLineParser.Parse(line).Segments[0].Argv);

        Assert.Equal(destructive, effect.Destructive);
        Assert.Equal(mutating, effect.Mutating);
        Assert.Equal(destructive, CommandCatalog.IsDestructive(line));
    }

    public static TheoryData<string> ProviderKinds() => new(ResourceCatalog.Kinds.Keys.Where(k => k != Command.Type).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ProviderKinds))]
    public void Provider_commands_classify_as_create_mutates_read_back_reads_and_compensating_delete_destroys(string type)
    {
        ResourceKind kind = ResourceCatalog.Kinds[type];
        var resource = new ResourceSpec
        {
            Type = type, Name = "delete", Location = "eastus", ResourceGroup = "rg-demo", Cluster = "aks-demo", Namespace = "team-alpha",
            Properties = new() { ["vnet_name"] = JsonSerializer.SerializeToElement("vnet1") },
        };

        CommandEffect create = CommandCatalog.Classify(CommandLineParser.Parse(kind.Create(resource)).Segments[0].Argv);
        CommandEffect read = CommandCatalog.Classify(CommandLineParser.Parse(kind.ReadBack(resource)).Segments[0].Argv);

        Assert.True(create.Mutating && !create.Destructive, kind.Create(resource));
        Assert.False(read.Mutating, kind.ReadBack(resource));
        Assert.True(CommandCatalog.IsDestructive(kind.Delete(resource)), kind.Delete(resource));
        Assert.False(CommandCatalog.IsDestructive(kind.Create(resource)), kind.Create(resource));
    }

    [Fact]
    public void Destructive_steps_count_rollback_commands_and_not_a_create_of_a_thing_named_delete()
    {
        var compiled = TestChanges.Compile(TestChanges.Namespaces(2));
        Plan asRollback = compiled.Plan with { Steps = compiled.Plan.Steps.Select(s => s with { Command = s.Rollback }).ToList() };
        Plan namedDelete = compiled.Plan with { Steps = compiled.Plan.Steps.Select(s => s with { Command = "kubectl-1.29 create namespace delete" }).ToList() };

        Assert.Equal(2, PlanAnnotator.DestructiveSteps(asRollback));
        Assert.Equal(0, PlanAnnotator.DestructiveSteps(namedDelete));
        Assert.Equal(0, PlanAnnotator.DestructiveSteps(compiled.Plan));
    }

    static IReadOnlyDictionary<string, string[]> Errors(object step, CommandCatalog? commands = null)
    {
        string json = JsonSerializer.Serialize(new { request = "read", tenant = "acme", target = new { provider = "cli", resources = new[] { step } } });
        return Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), null, commands))
            .Errors.ToDictionary();
    }

    [Fact]
    public void The_validator_names_step_stage_argument_and_position()
    {
        var errors = Errors(new { type = "command", name = "list-c", command = "az storage container list | sort --compress-program=sh" });

        string message = Assert.Single(errors["target.resources[0].command"]);
        Assert.Contains("list-c", message, StringComparison.Ordinal);
        Assert.Contains("stage 2 (sort)", message, StringComparison.Ordinal);
        Assert.Contains("'--compress-program'", message, StringComparison.Ordinal);
        Assert.Contains("position 33", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_steps_rollback_and_read_back_are_held_to_the_catalog()
    {
        var errors = Errors(new { type = "command", name = "c", command = "az storage container list", read_back = "az storage container show -n @x", rollback = "az storage container delete -n x" });

        Assert.Contains("'@x'", Assert.Single(errors["target.resources[0].read_back"]), StringComparison.Ordinal);
        Assert.Contains("'az storage container delete'", Assert.Single(errors["target.resources[0].rollback"]), StringComparison.Ordinal);
        Assert.DoesNotContain("target.resources[0].command", errors.Keys);
    }

    [Fact]
    public void The_validator_takes_a_wider_catalog_from_the_host()
    {
        var step = new { type = "command", name = "c", command = "kubectl-1.29 get ns -o json" };
        Assert.Contains("target.resources[0].command", Errors(step).Keys);

        CommandCatalog wider = CommandCatalog.Default.With([new CatalogEntry("kubectl-1.29", "get ns", [new("-o", null, CatalogValue.Choice, ["json"])])]);
        string json = JsonSerializer.Serialize(new { request = "read", tenant = "acme", target = new { provider = "cli", resources = new[] { step } } });
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest), commands: wider);

        Assert.Equal("cli", spec.Provider);
    }
}
