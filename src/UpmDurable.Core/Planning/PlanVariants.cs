using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>Pure wave variants over a <see cref="Plan"/> (POST /api/plans with <c>variants</c>). They never change <c>plan_hash</c>.</summary>
public static class PlanVariants
{
    public const string CanaryName = "canary";
    public const string BlueGreenName = "blue_green";

    /// <summary>Suffix of the green copy's step ids in <see cref="BlueGreen"/>.</summary>
    public const string GreenSuffix = "@green";

    /// <summary>The cut-over step of <see cref="BlueGreen"/>.</summary>
    public const string SwitchStep = "switch:blue->green";

    /// <summary>The retirement step of <see cref="BlueGreen"/>.</summary>
    public const string RetireStep = "retire:blue";

    /// <summary>
    /// Canary: the largest wave (the first of equal size) is split so that its first step (ordinal order) runs alone in a
    /// wave of its own, and the rest of that wave follows once it is healthy. Every dependency stays in an earlier wave
    /// because the canary step and the rest of its wave only depend on earlier waves. A plan whose waves all hold one
    /// step is its own canary.
    /// </summary>
    public static PlanVariant Canary(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var waves = plan.Waves.Select(w => w.ToList()).ToList();
        int largest = -1;
        for (int i = 0; i < waves.Count; i++)
        {
            if (waves[i].Count > 1 && (largest < 0 || waves[i].Count > waves[largest].Count))
            {
                largest = i;
            }
        }

        if (largest < 0)
        {
            return new PlanVariant(CanaryName, "Every wave already holds one step: the plan is its own canary.", waves);
        }

        string canary = waves[largest][0];
        waves.Insert(largest, [canary]);
        waves[largest + 1].RemoveAt(0);
        return new PlanVariant(
            CanaryName,
            $"Step {canary} runs alone first (wave {largest + 1}); the other {waves[largest + 1].Count} step(s) of its wave follow once it is healthy.",
            waves);
    }

    /// <summary>
    /// Blue-green: the change is applied as a green copy beside the current (blue) state, in the plan's waves, with step ids
    /// suffixed <see cref="GreenSuffix"/>; once green is healthy, one cut-over step (<see cref="SwitchStep"/>) moves traffic
    /// to it, and a last step (<see cref="RetireStep"/>) retires blue. Rolling back before the cut-over only deletes green.
    /// </summary>
    public static PlanVariant BlueGreen(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var waves = plan.Waves.Select(w => w.Select(id => id + GreenSuffix).ToList()).ToList();
        waves.Add([SwitchStep]);
        waves.Add([RetireStep]);
        return new PlanVariant(
            BlueGreenName,
            $"Green copy of all {plan.Steps.Count} step(s) in {plan.Waves.Count} wave(s) beside blue, then switch traffic to green, then retire blue.",
            waves);
    }

    /// <summary>The variants a change asked for, by name (unknown names are skipped; the validator refuses them).</summary>
    public static List<PlanVariant> For(Plan plan, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(n => n switch { CanaryName => Canary(plan), BlueGreenName => BlueGreen(plan), _ => null })
            .OfType<PlanVariant>()
            .ToList();
    }
}
