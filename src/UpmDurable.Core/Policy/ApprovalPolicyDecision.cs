using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Policy;

/// <summary>
/// Decides the approvals a change needs from the policy packs in force for its tenant. The server decides: the packs'
/// approval rules set a minimum and the approver groups, a built-in floor keeps one human approval on any change with
/// steps when no rule applies, the auto-approval lane (a pack rule; never for <c>command</c> steps) may waive it, and the
/// request can only ask for more approvers or add groups: a request asking for fewer than the minimum is accepted and
/// raised to it (the reason says so), so the contract's example runs under any policy.
/// </summary>
public static class ApprovalPolicyDecision
{
    /// <summary>The rule id of the built-in floor: one approver from <see cref="ChangeDefaults.ApprovalGroup"/>.</summary>
    public const string FloorRule = "upm-floor";

    /// <summary>
    /// The requirement for a change; <paramref name="windowOpen"/> is whether its change window is open now (the lane needs it);
    /// <paramref name="facts"/> is what pre-flight's dry run found (none at submission).
    /// </summary>
    public static ApprovalRequirement Decide(IEnumerable<PolicyPack> packs, ChangeSpec spec, Plan plan, PlanAnnotation annotation, bool windowOpen, DryRunFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(packs);
        List<PolicyPack> inForce = packs.Where(p => p.AppliesTo(spec.Tenant)).ToList();
        Dictionary<string, object?> context = PolicyContext.Build(spec, plan, annotation, facts);

        // The strictest applying rule sets the minimum; every applying rule's groups may approve.
        ApprovalRule? strictest = null;
        var groups = new List<string>();
        foreach (PolicyPack pack in inForce)
        {
            foreach (ApprovalRule rule in pack.Approvals)
            {
                if (!Applies(pack, rule, context))
                {
                    continue;
                }

                groups.AddRange(rule.Groups.Where(g => !groups.Contains(g, StringComparer.Ordinal)));
                if (strictest is null || rule.MinApprovers > strictest.MinApprovers)
                {
                    strictest = rule;
                }
            }
        }

        string ruleId = strictest?.Id ?? FloorRule;
        int minimum = strictest?.MinApprovers ?? (plan.Steps.Count > 0 ? 1 : 0);
        if (groups.Count == 0)
        {
            groups.Add(ChangeDefaults.ApprovalGroup);
        }

        List<string> added = spec.RequestedApprovalGroups.Where(g => !groups.Contains(g, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        int required = Math.Max(minimum, spec.RequestedApprovals ?? 0);
        string why = strictest is null
            ? $"built-in floor: every change with steps needs at least one human approval ({minimum})"
            : $"policy rule '{strictest.Id}': at least {minimum} approver(s) from {string.Join(", ", groups)}";

        bool askedForMore = (spec.RequestedApprovals ?? 0) > 0 || added.Count > 0;
        if (minimum <= 1 && !askedForMore && Lane(inForce, spec, plan, annotation, windowOpen) is { } lane)
        {
            return new ApprovalRequirement(0, true, $"auto-approval lane '{lane.Id}': risk {annotation.RiskScore} < {lane.MaxRisk}, {plan.Steps.Count} step(s) <= {lane.MaxSteps}, kinds {string.Join(", ", plan.Steps.Select(s => s.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}, inside the change window", lane.Id, groups, 0, []);
        }

        if (required > minimum)
        {
            why += $"; the request asks for {required}";
        }
        else if (spec.RequestedApprovals is { } asked && asked < minimum)
        {
            why += $"; the request asked for {asked}, raised to the policy's minimum";
        }

        if (added.Count > 0)
        {
            why += $"; the request adds {string.Join(", ", added)} (one approver each)";
        }

        return new ApprovalRequirement(required, false, why, ruleId, groups, minimum, added);
    }

    static AutoApprovalLane? Lane(List<PolicyPack> packs, ChangeSpec spec, Plan plan, PlanAnnotation annotation, bool windowOpen)
    {
        if (!windowOpen || PlanAnnotator.IsProd(spec) || plan.Steps.Count == 0 || plan.Steps.Any(s => s.Type == Command.Type))
        {
            return null;
        }

        return packs.Select(p => p.AutoApproval).OfType<AutoApprovalLane>().FirstOrDefault(lane =>
            annotation.RiskScore < lane.MaxRisk
            && plan.Steps.Count <= lane.MaxSteps
            && plan.Steps.All(s => lane.Kinds.Contains(s.Type, StringComparer.Ordinal)));
    }

    static bool Applies(PolicyPack pack, ApprovalRule rule, IDictionary<string, object?> variables) =>
        PolicyEvaluator.Condition(rule.Program, variables, rule.Id, $"policy pack '{pack.Name}', approval rule '{rule.Id}'");
}
