using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>Pre-flight's dry run against a fake provider: field diffs, order-independent equality, adoption, irreversible steps.</summary>
public sealed class DryRunAssessmentTests
{
    sealed class FakeProvider(Dictionary<string, ResourceState> resources, string? notRestorable = null) : IChangeProvider
    {
        public string Name => "fake";

        public Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken) =>
            Task.FromResult(resources.GetValueOrDefault($"{type}/{name}"));

        public Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken) => Task.FromResult(100);

        public Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("a dry run applies nothing");

        public Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("a dry run compensates nothing");

        public string? NotRestorable(PlanStep step, ResourceState? current) => current is null ? null : notRestorable;
    }

    static PreflightInput Input(string resources)
    {
        ChangeSpec spec = ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(
            $$$"""{"request": "x", "tenant": "acme", "target": {"resources": [{{{resources}}}]}}""", UpmJson.StrictRequest));
        return new PreflightInput("acme", "chg-new", "fake", PlanCompiler.Compile(spec), spec);
    }

    static ResourceState State(string id, string? createdBy, params (string Key, string Value)[] fields) => new()
    {
        Type = id.Split('/')[0], Name = id.Split('/')[1], Health = "healthy", CreatedBy = createdBy,
        Fields = fields.ToDictionary(f => f.Key, f => f.Value),
    };

    static async Task<DryRunOutcome> AssessAsync(PreflightInput input, IChangeProvider provider)
    {
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(provider, input.Tenant, input.Plan.Steps, CancellationToken.None);
        return await DryRunAssessment.AssessAsync(provider, input, states, (by, _) => Task.FromResult(by), CancellationToken.None);
    }

    const string Container = """{"type": "az_storage_container", "name": "logs", "properties": {"team": "a", "tier": "hot"}}""";

    [Fact]
    public async Task An_update_shows_each_changed_field_from_before_to_after()
    {
        var provider = new FakeProvider(new() { ["az_storage_container/logs"] = State("az_storage_container/logs", "chg-old", ("properties.team", "a"), ("properties.tier", "cool"), ("properties.owner", "x")) });

        DryRunOutcome outcome = await AssessAsync(Input(Container), provider);

        DryRunEntry entry = Assert.Single(outcome.Entries);
        Assert.Equal(PlanActions.Update, entry.Action);
        Assert.Equal([new FieldChange("properties.owner", "x", null), new FieldChange("properties.tier", "cool", "hot")], entry.Changes);
        PreflightCheck collision = Assert.Single(outcome.Checks, c => c.Type == "name_collision");
        Assert.True(collision.Ok);
        Assert.Contains("created by chg-old", collision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Checks, c => c.Type == DryRunAssessment.AdoptionCheck);
    }

    [Fact]
    public async Task Equal_fields_in_another_order_read_unchanged_and_are_not_destructive()
    {
        // The provider answers the fields in the reverse of the plan's order: the old comparison read this as an update.
        var provider = new FakeProvider(new() { ["az_storage_container/logs"] = State("az_storage_container/logs", "chg-old", ("properties.tier", "hot"), ("properties.team", "a")) });
        PreflightInput input = Input(Container);

        DryRunOutcome outcome = await AssessAsync(input, provider);

        DryRunEntry entry = Assert.Single(outcome.Entries);
        Assert.Equal((PlanActions.Unchanged, 0), (entry.Action, entry.Changes!.Count));
        PreflightCheck destructive = Assert.Single(new BlastRadiusOptions { MaxDestructiveSteps = 0 }.Check(input.Plan, outcome.Entries), c => c.Target == "destructive_steps");
        Assert.True(destructive.Ok, destructive.Message);
        Assert.Equal("dry run: 0 to create, 0 to change, 0 to delete, 1 unchanged", DryRunAssessment.SummaryCheck(outcome.Entries).Message);
    }

    [Fact]
    public async Task An_existing_resource_the_service_did_not_create_is_refused_without_adopt_and_adopted_with_it()
    {
        var provider = new FakeProvider(new() { ["k8s_namespace/team-b"] = State("k8s_namespace/team-b", null) });

        DryRunOutcome refused = await AssessAsync(Input("""{"type": "k8s_namespace", "name": "new-ns"}, {"type": "k8s_namespace", "name": "team-b"}"""), provider);
        DryRunOutcome adopted = await AssessAsync(Input("""{"type": "k8s_namespace", "name": "new-ns"}, {"type": "k8s_namespace", "name": "team-b", "adopt": true}"""), provider);

        PreflightCheck no = Assert.Single(refused.Checks, c => c.Type == DryRunAssessment.AdoptionCheck);
        Assert.False(no.Ok);
        Assert.Equal("k8s_namespace/team-b", no.Target);
        Assert.Contains("set \"adopt\": true on target.resources[1] ('team-b')", no.Message, StringComparison.Ordinal);
        Assert.Empty(refused.Facts.Adoptions);

        PreflightCheck yes = Assert.Single(adopted.Checks, c => c.Type == DryRunAssessment.AdoptionCheck);
        Assert.True(yes.Ok, yes.Message);
        Assert.Equal(["k8s_namespace/team-b"], adopted.Facts.Adoptions);
        Assert.Equal(PlanActions.Unchanged, adopted.Entries.Single(e => e.StepId == "k8s_namespace/team-b").Action);
        Assert.Equal(PlanActions.Create, adopted.Entries.Single(e => e.StepId == "k8s_namespace/new-ns").Action);
    }

    [Fact]
    public async Task A_policy_rule_forbids_the_adoption_the_dry_run_found()
    {
        var provider = new FakeProvider(new() { ["k8s_namespace/team-b"] = State("k8s_namespace/team-b", null) });
        PreflightInput input = Input("""{"type": "k8s_namespace", "name": "team-b", "adopt": true}""");
        PolicyPack pack = PolicyPack.Load("""
            name: no-adoption
            rules:
              - {id: no-adoption, severity: deny, scope: resource, message: "No take-overs.", condition: "resource.adopting"}
            """);

        DryRunOutcome outcome = await AssessAsync(input, provider);
        PolicyReport report = PolicyEvaluator.Evaluate([pack], input.Spec!, input.Plan, PlanAnnotator.Annotate(input.Spec!, input.Plan, "u", DateTimeOffset.UnixEpoch), outcome.Facts);

        Assert.False(report.Passed);
        Assert.Equal("k8s_namespace/team-b", Assert.Single(report.Violations).Resource);
    }

    [Fact]
    public async Task Steps_the_provider_cannot_restore_are_listed_as_irreversible()
    {
        var provider = new FakeProvider(
            new()
            {
                ["k8s_namespace/old"] = State("k8s_namespace/old", "chg-old"),
                ["k8s_namespace/same"] = State("k8s_namespace/same", "chg-old"),
            },
            notRestorable: "fake cannot re-create a namespace");

        DryRunOutcome outcome = await AssessAsync(Input("""{"type": "k8s_namespace", "name": "old", "ensure": "absent"}, {"type": "k8s_namespace", "name": "same"}, {"type": "k8s_namespace", "name": "fresh"}"""), provider);

        Assert.Equal(PlanActions.Delete, outcome.Entries.Single(e => e.StepId == "k8s_namespace/old").Action);
        Assert.Equal(["k8s_namespace/old"], outcome.Facts.Irreversible.Keys);
        PreflightCheck check = Assert.Single(outcome.Checks, c => c.Type == DryRunAssessment.IrreversibleCheck);
        Assert.True(check.Ok);
        Assert.Contains("k8s_namespace/old (fake cannot re-create a namespace)", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_read_from_a_resource_never_reaches_the_diff()
    {
        var provider = new FakeProvider(new() { ["az_storage_container/logs"] = State("az_storage_container/logs", "chg-old", ("properties.note", "password=hunter2hunter2"), ("properties.team", "a"), ("properties.tier", "hot")) });

        DryRunOutcome outcome = await AssessAsync(Input(Container), provider);

        FieldChange note = Assert.Single(Assert.Single(outcome.Entries).Changes!);
        Assert.Equal(("properties.note", "***", null), (note.Field, note.Before, note.After));
    }
}
