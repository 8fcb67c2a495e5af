using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;

namespace UpmDurable.Workflows;

/// <summary>
/// Pre-flight's dry run over the resources as the provider reads them now: per step the action and field changes
/// (<see cref="StepDiff"/>), explicit adoption of existing resources the service did not create, and the steps the
/// provider cannot restore from a before-image (irreversible).
/// </summary>
public static class DryRunAssessment
{
    /// <summary>Check type of an existing resource the service did not create: passes only with <c>adopt: true</c>.</summary>
    public const string AdoptionCheck = "adoption";

    /// <summary>Check type listing the steps rollback cannot undo.</summary>
    public const string IrreversibleCheck = "irreversible";

    /// <summary>
    /// Assesses every step against its current state (<paramref name="states"/> in the plan's step order);
    /// <paramref name="visibleCreator"/> names the change that created a resource when the tenant may see it.
    /// </summary>
    public static async Task<DryRunOutcome> AssessAsync(
        IChangeProvider provider,
        PreflightInput input,
        IReadOnlyList<ResourceState?> states,
        Func<string?, CancellationToken, Task<string?>> visibleCreator,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(input);
        var entries = new List<DryRunEntry>();
        var checks = new List<PreflightCheck>();
        var actions = new Dictionary<string, string>(StringComparer.Ordinal);
        var adoptions = new List<string>();
        var irreversible = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < input.Plan.Steps.Count; i++)
        {
            PlanStep step = input.Plan.Steps[i];
            ResourceState? current = states[i];
            StepChange change = StepDiff.Of(step.Resource, current?.Fields);
            entries.Add(new DryRunEntry(step.Id, change.Action, step.Command, Redacted(change.Changes)));
            actions[step.Id] = change.Action;
            if (current is not null && string.IsNullOrEmpty(current.CreatedBy))
            {
                bool adopt = step.Resource.Adopt == true;
                if (adopt)
                {
                    adoptions.Add(step.Id);
                }

                checks.Add(new PreflightCheck(AdoptionCheck, step.Id, adopt, adopt
                    ? $"{step.Id} exists and was not created by this service; adopted (adopt: true): the change takes it over ({Describe(change)})"
                    : $"{step.Id} already exists and was not created by this service; the change will not take it over. To adopt it, set \"adopt\": true on {Where(input, step)}; otherwise choose another name."));
            }
            else if (current is not null && current.CreatedBy != input.ChangeId)
            {
                string? by = await visibleCreator(current.CreatedBy, cancellationToken);
                checks.Add(new PreflightCheck("name_collision", step.Id, true, $"{step.Id} already exists (created by {by ?? "another change"}); it will be {Describe(change)}"));
            }

            if (change.Action is PlanActions.Update or PlanActions.Delete && provider.NotRestorable(step, current) is { } reason)
            {
                irreversible[step.Id] = reason;
            }
        }

        if (irreversible.Count > 0)
        {
            checks.Add(new PreflightCheck(IrreversibleCheck, "plan", true, $"{irreversible.Count} step(s) rollback cannot restore: {string.Join("; ", irreversible.Select(s => $"{s.Key} ({s.Value})"))}"));
        }

        return new DryRunOutcome(entries, checks, new DryRunFacts(actions, adoptions, irreversible));
    }

    /// <summary>The passing <c>dry_run</c> check that counts the actions.</summary>
    public static PreflightCheck SummaryCheck(IEnumerable<DryRunEntry> entries)
    {
        DryRunSummary summary = DryRunSummary.Of(entries);
        return new PreflightCheck("dry_run", "plan", true, $"dry run: {summary.Create} to create, {summary.Update} to change, {summary.Delete} to delete, {summary.Unchanged} unchanged");
    }

    static string Describe(StepChange change) => change.Action switch
    {
        PlanActions.Unchanged => "left as is",
        PlanActions.Delete => "deleted",
        _ => $"updated: {string.Join(", ", change.Changes.Select(c => c.Field))}",
    };

    static string Where(PreflightInput input, PlanStep step)
    {
        int index = input.Spec?.Resources.FindIndex(r => r.Name == step.Name) ?? -1;
        return index < 0 ? $"the resource '{step.Name}'" : $"target.resources[{index}] ('{step.Name}')";
    }

    // Values read from a resource the service did not write may hold anything: a secret-looking value never leaves.
    static List<FieldChange> Redacted(List<FieldChange> changes) =>
        changes.Select(c => c with { Before = Mask(c.Before), After = Mask(c.After) }).ToList();

    static string? Mask(string? value) => value is not null && SecretScreen.HoldsSecret(value) ? SecretRedactor.Mask : value;
}
