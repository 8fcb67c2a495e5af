using System.Text.Json;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Field-level plans: FieldDiff, StepDiff, the summary, ensure/adopt validation and the compiled delete step.</summary>
public sealed class PlanDiffTests
{
    static string Change(string resource, string provider = "sandbox") =>
        $$$"""{"request": "x", "tenant": "acme", "target": {"provider": "{{{provider}}}", "resources": [{{{resource}}}]}}""";

    static IReadOnlyDictionary<string, string[]> Errors(string json) =>
        Assert.Throws<ChangeValidationException>(() => TestChanges.Spec(json)).Errors.ToDictionary();

    static ResourceSpec Container(string? ensure = null) => new()
    {
        Type = "az_storage_container", Name = "c1", Ensure = ensure,
        Properties = new() { ["tier"] = JsonSerializer.SerializeToElement("hot"), ["owner"] = JsonSerializer.SerializeToElement("team-a") },
    };

    [Fact]
    public void Field_diff_ignores_dictionary_order()
    {
        var one = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["c"] = "3" };
        var other = new Dictionary<string, string> { ["c"] = "3", ["a"] = "1", ["b"] = "2" };

        Assert.True(FieldDiff.Same(one, other));
        Assert.False(one.SequenceEqual(other)); // what the old dry run compared: it read this pair as an update
    }

    [Fact]
    public void Field_diff_names_set_changed_and_removed_fields_sorted()
    {
        var before = new Dictionary<string, string> { ["z"] = "gone", ["m"] = "old", ["a"] = "same" };
        var after = new Dictionary<string, string> { ["a"] = "same", ["m"] = "new", ["b"] = "added", ["e"] = string.Empty };

        Assert.Equal(
            [new FieldChange("b", null, "added"), new FieldChange("e", null, string.Empty), new FieldChange("m", "old", "new"), new FieldChange("z", "gone", null)],
            FieldDiff.Between(before, after));
        Assert.Equal([new FieldChange("a", "same", null)], FieldDiff.Between(new Dictionary<string, string> { ["a"] = "same" }, null));
        Assert.Empty(FieldDiff.Between(null, null));
        Assert.False(FieldDiff.Same(new Dictionary<string, string> { ["a"] = "A" }, new Dictionary<string, string> { ["a"] = "a" }));
    }

    [Fact]
    public void Step_diff_reads_create_update_unchanged_and_delete()
    {
        ResourceSpec intended = Container();
        var same = new Dictionary<string, string> { ["properties.tier"] = "hot", ["properties.owner"] = "team-a" };
        var cooler = new Dictionary<string, string> { ["properties.owner"] = "team-a", ["properties.tier"] = "cool", ["properties.extra"] = "x" };

        StepChange create = StepDiff.Of(intended, null);
        Assert.Equal(PlanActions.Create, create.Action);
        Assert.Equal([new FieldChange("properties.owner", null, "team-a"), new FieldChange("properties.tier", null, "hot")], create.Changes);

        Assert.Equal(new StepChange(PlanActions.Unchanged, []).Action, StepDiff.Of(intended, same).Action);
        Assert.Empty(StepDiff.Of(intended, same).Changes);

        StepChange update = StepDiff.Of(intended, cooler);
        Assert.Equal(PlanActions.Update, update.Action);
        Assert.Equal([new FieldChange("properties.extra", "x", null), new FieldChange("properties.tier", "cool", "hot")], update.Changes);

        StepChange delete = StepDiff.Of(Container(Ensures.Absent), same);
        Assert.Equal(PlanActions.Delete, delete.Action);
        Assert.All(delete.Changes, c => Assert.Null(c.After));
        Assert.Equal(2, delete.Changes.Count);

        StepChange gone = StepDiff.Of(Container(Ensures.Absent), null);
        Assert.Equal(PlanActions.Unchanged, gone.Action);
        Assert.Empty(gone.Changes);
    }

    [Fact]
    public void Summary_counts_actions_like_terraform()
    {
        DryRunSummary summary = DryRunSummary.Of([
            new DryRunEntry("a", PlanActions.Create, "c"), new DryRunEntry("b", PlanActions.Create, "c"), new DryRunEntry("c", PlanActions.Update, "c"),
            new DryRunEntry("d", PlanActions.Delete, "c"), new DryRunEntry("e", PlanActions.Unchanged, "c"),
        ]);

        Assert.Equal(new DryRunSummary(2, 1, 1, 1), summary);
        Assert.Equal("Plan: 2 to add, 1 to change, 1 to destroy.", summary.ToString());
    }

    [Theory]
    [InlineData("\"gone\"")]
    [InlineData("\"ABSENT\"")]
    [InlineData("\"\"")]
    public void Ensure_outside_present_and_absent_is_refused_naming_the_field(string ensure)
    {
        var errors = Errors(Change($$"""{"type": "k8s_namespace", "name": "a", "ensure": {{ensure}}}"""));

        Assert.Contains("present, absent", Assert.Single(errors["target.resources[0].ensure"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Adopt_must_be_a_boolean()
    {
        var ex = Assert.Throws<JsonException>(() => TestChanges.Spec(Change("""{"type": "k8s_namespace", "name": "a", "adopt": "yes"}""")));

        Assert.Equal("$.target.resources[0].adopt", ex.Path);
    }

    [Fact]
    public void A_command_step_can_neither_be_absent_nor_adopted()
    {
        var errors = Errors(Change("""{"type": "command", "name": "c", "command": "az storage container list --output json", "ensure": "absent", "adopt": true}""", "cli"));

        Assert.Contains("target.resources[0].ensure", errors.Keys);
        Assert.Contains("target.resources[0].adopt", errors.Keys);
    }

    [Fact]
    public void Defaults_spelled_out_compile_to_the_same_plan_and_new_fields_stay_out_of_old_plans()
    {
        Plan plain = PlanCompiler.Compile(TestChanges.Spec(Change("""{"type": "k8s_namespace", "name": "a"}""")));
        Plan spelled = PlanCompiler.Compile(TestChanges.Spec(Change("""{"type": "k8s_namespace", "name": "a", "ensure": "present", "adopt": false}""")));
        Plan adopting = PlanCompiler.Compile(TestChanges.Spec(Change("""{"type": "k8s_namespace", "name": "a", "adopt": true}""")));

        Assert.Equal(plain.PlanHash, spelled.PlanHash);
        string json = UpmJson.Serialize(plain);
        Assert.DoesNotContain("\"ensure\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"adopt\"", json, StringComparison.Ordinal);
        Assert.NotEqual(plain.PlanHash, adopting.PlanHash);
        Assert.True(adopting.Steps[0].Resource.Adopt);
    }

    [Fact]
    public void An_absent_resource_compiles_to_the_kinds_delete_with_a_re_create_as_rollback()
    {
        ChangeSpec spec = TestChanges.Spec(Change("""{"type": "az_storage_container", "name": "old-logs", "ensure": "absent", "properties": {"team": "a"}}""", "cli"));
        Plan plan = PlanCompiler.Compile(spec);
        Plan present = PlanCompiler.Compile(TestChanges.Spec(Change("""{"type": "az_storage_container", "name": "old-logs", "properties": {"team": "a"}}""", "cli")));
        PlanStep step = Assert.Single(plan.Steps);
        ResourceKind kind = ResourceCatalog.Kinds["az_storage_container"];

        Assert.Equal(kind.Delete(step.Resource), step.Command);
        Assert.Equal(kind.Create(step.Resource), step.Rollback);
        Assert.Equal([step.Command], plan.Commands);
        Assert.Equal(step.Rollback, Assert.Single(plan.RollbackPlan).Command);
        Assert.NotEqual(present.PlanHash, plan.PlanHash);
        Assert.Equal(1, PlanAnnotator.DestructiveSteps(plan));

        // The guard-rails accept both the delete and its re-create.
        Assert.NotEmpty(CommandGuard.Check(step.Command, Canonicals.DefaultPipeAllowList).Segments);
        Assert.NotEmpty(CommandGuard.Check(step.Rollback, Canonicals.DefaultPipeAllowList).Segments);
        Assert.True(CommandCatalog.IsDestructive(step.Command));
    }
}
