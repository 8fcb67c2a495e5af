namespace UpmDurable.Core.Model;

/// <summary>
/// Blast-radius limits, enforced in pre-flight so a change over them never runs its first step.
/// Configuration section <c>Upm:BlastRadius</c>.
/// </summary>
public sealed class BlastRadiusOptions
{
    public const string Section = "Upm:BlastRadius";

    /// <summary>Most resources one change may touch.</summary>
    public int MaxResourcesPerChange { get; set; } = 1000;

    /// <summary>Most steps one wave may run.</summary>
    public int MaxStepsPerWave { get; set; } = 500;

    /// <summary>
    /// Most destructive steps in one change: steps that change or delete a resource that already exists (dry-run action
    /// <c>update</c> or <c>delete</c>) and custom <c>command</c> steps, whose effect we cannot see.
    /// </summary>
    public int MaxDestructiveSteps { get; set; } = 20;

    /// <summary>One check per limit: ok, or a message naming the limit, the count and how to get under it.</summary>
    public IEnumerable<PreflightCheck> Check(Plan plan, IReadOnlyList<DryRunEntry> dryRun)
    {
        int resources = plan.Steps.Count;
        yield return new PreflightCheck("blast_radius", "resources", resources <= MaxResourcesPerChange, resources <= MaxResourcesPerChange
            ? $"{resources} resource(s), limit {MaxResourcesPerChange}"
            : $"Blast radius: the change touches {resources} resources; the limit is {MaxResourcesPerChange}. Split it into smaller changes.");

        int widest = plan.Waves.Count == 0 ? 0 : plan.Waves.Max(w => w.Count);
        yield return new PreflightCheck("blast_radius", "steps_per_wave", widest <= MaxStepsPerWave, widest <= MaxStepsPerWave
            ? $"widest wave {widest} step(s), limit {MaxStepsPerWave}"
            : $"Blast radius: a wave runs {widest} steps; the limit is {MaxStepsPerWave}. Add dependencies or split the change.");

        var commands = plan.Steps.Where(s => s.Type == "command").Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        int destructive = dryRun.Count(d => d.Action is PlanActions.Update or PlanActions.Delete || commands.Contains(d.StepId));
        yield return new PreflightCheck("blast_radius", "destructive_steps", destructive <= MaxDestructiveSteps, destructive <= MaxDestructiveSteps
            ? $"{destructive} destructive step(s), limit {MaxDestructiveSteps}"
            : $"Blast radius: {destructive} steps change existing resources or run custom commands; the limit is {MaxDestructiveSteps}. Split the change.");
    }
}
