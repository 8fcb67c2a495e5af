using UpmDurable.Core.Model;

namespace UpmDurable.Core.Policy;

/// <summary>Evaluates policy packs over a change, its plan and its annotation.</summary>
public static class PolicyEvaluator
{
    /// <summary>
    /// Evaluates every rule of every pack; throws <see cref="PolicyPackException"/> when a condition does not yield a boolean.
    /// <paramref name="facts"/>: what pre-flight's dry run found (adoptions, irreversible steps), none when omitted.
    /// </summary>
    public static PolicyReport Evaluate(IEnumerable<PolicyPack> packs, ChangeSpec spec, Plan plan, PlanAnnotation annotation, DryRunFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var context = PolicyContext.Build(spec, plan, annotation, facts);
        var resources = (List<object?>)context["resources"]!;
        var violations = new List<PolicyViolation>();
        foreach (PolicyPack pack in packs.Where(p => p.AppliesTo(spec.Tenant)))
        {
            foreach (PolicyRule rule in pack.Rules)
            {
                if (rule.Scope == PolicyScope.Change)
                {
                    if (Violated(pack, rule, context))
                    {
                        violations.Add(new PolicyViolation(pack.Name, rule.Id, rule.Severity, rule.Message));
                    }

                    continue;
                }

                foreach (Dictionary<string, object?> resource in resources.Cast<Dictionary<string, object?>>())
                {
                    var scoped = new Dictionary<string, object?>(context, StringComparer.Ordinal) { ["resource"] = resource };
                    if (Violated(pack, rule, scoped))
                    {
                        violations.Add(new PolicyViolation(pack.Name, rule.Id, rule.Severity, rule.Message, (string)resource["id"]!));
                    }
                }
            }
        }

        return new PolicyReport
        {
            Passed = !violations.Any(v => v.Severity == PolicySeverity.Deny),
            Violations = violations,
            Warnings = violations.Count(v => v.Severity == PolicySeverity.Warn),
        };
    }

    static bool Violated(PolicyPack pack, PolicyRule rule, IDictionary<string, object?> variables) =>
        Condition(rule.Program, variables, rule.Id, $"policy pack '{pack.Name}', rule '{rule.Id}'");

    /// <summary>Runs a compiled CEL condition that must yield a boolean; any other outcome names the rule (<paramref name="where"/>).</summary>
    internal static bool Condition(Cel.CelProgramDelegate program, IDictionary<string, object?> variables, string ruleId, string where)
    {
        object? result;
        try
        {
            result = program(variables);
        }
        catch (Exception e)
        {
            throw new PolicyPackException(ruleId, $"{where}: condition failed: {e.Message}", e);
        }

        return result as bool? ?? throw new PolicyPackException(ruleId, $"{where}: condition must be true or false, got {Describe(result)}.");
    }

    static string Describe(object? value) => value switch
    {
        null => "null",
        _ => $"{value} ({value.GetType().Name})",
    };
}
