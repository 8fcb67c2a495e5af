using Cel;
using UpmDurable.Core.Catalog;

namespace UpmDurable.Core.Policy;

/// <summary>
/// One approval rule of a pack: when its CEL condition <see cref="When"/> is true for a change, the change needs at least
/// <see cref="MinApprovers"/> distinct human approvers from <see cref="Groups"/>. The condition sees the same variables as
/// a policy rule (<see cref="PolicyContext"/>).
/// </summary>
public sealed class ApprovalRule
{
    ApprovalRule(string id, string when, int minApprovers, IReadOnlyList<string> groups, CelProgramDelegate program)
    {
        Id = id;
        When = when;
        MinApprovers = minApprovers;
        Groups = groups;
        Program = program;
    }

    public string Id { get; }

    /// <summary>The CEL source: true when the rule applies to the change.</summary>
    public string When { get; }

    public int MinApprovers { get; }

    public IReadOnlyList<string> Groups { get; }

    internal CelProgramDelegate Program { get; }

    internal static ApprovalRule Load(string? id, string? when, int? min, List<string>? groups, string where, HashSet<string> ids, CelEnvironment cel)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new PolicyPackException(null, $"{where}: an approval rule has no 'id'.");
        }

        string Fail(string what) => $"{where}, approval rule '{id}': {what}";
        if (!ids.Add(id))
        {
            throw new PolicyPackException(id, Fail("duplicate id."));
        }

        if (min is not (>= 1 and <= 10))
        {
            throw new PolicyPackException(id, Fail("'min_approvers' must be between 1 and 10 (an approval rule never waives approvals; the auto-approval lane does)."));
        }

        if (groups is null || groups.Count == 0 || groups.Any(g => g is null || !Validation.ChangeRequestValidator.NamePattern().IsMatch(g)))
        {
            throw new PolicyPackException(id, Fail("'groups' must list at least one group name (letters, digits, '.', '_', '-')."));
        }

        string condition = string.IsNullOrWhiteSpace(when) ? "true" : when.Trim();
        CelProgramDelegate program;
        try
        {
            program = cel.Compile(condition);
        }
        catch (Exception e)
        {
            throw new PolicyPackException(id, Fail($"'when' does not compile: {e.Message}"), e);
        }

        return new ApprovalRule(id, condition, min.Value, [.. groups.Distinct(StringComparer.Ordinal)], program);
    }
}

/// <summary>
/// The auto-approval lane of a pack: a change with risk under <see cref="MaxRisk"/>, at most <see cref="MaxSteps"/> steps,
/// only <see cref="Kinds"/>, inside its window and not on a prod endpoint runs without a human decision. Never <c>command</c>.
/// </summary>
public sealed class AutoApprovalLane
{
    AutoApprovalLane(string id, int maxRisk, int maxSteps, IReadOnlyList<string> kinds)
    {
        Id = id;
        MaxRisk = maxRisk;
        MaxSteps = maxSteps;
        Kinds = kinds;
    }

    public string Id { get; }

    /// <summary>Risk scores strictly below this take the lane.</summary>
    public int MaxRisk { get; }

    public int MaxSteps { get; }

    /// <summary>The resource kinds the lane admits (an allow-list; <c>command</c> is never admitted).</summary>
    public IReadOnlyList<string> Kinds { get; }

    internal static AutoApprovalLane Load(string? id, int? maxRisk, int? maxSteps, List<string>? kinds, string where, HashSet<string> ids)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new PolicyPackException(null, $"{where}: 'auto_approval' has no 'id'.");
        }

        string Fail(string what) => $"{where}, auto_approval '{id}': {what}";
        if (!ids.Add(id))
        {
            throw new PolicyPackException(id, Fail("duplicate id."));
        }

        if (maxRisk is not (>= 0 and <= 100) || maxSteps is not (>= 1 and <= 50))
        {
            throw new PolicyPackException(id, Fail("'max_risk' (0-100) and 'max_steps' (1-50) are required."));
        }

        if (kinds is null || kinds.Count == 0)
        {
            throw new PolicyPackException(id, Fail("'kinds' must list the resource kinds the lane admits."));
        }

        foreach (string kind in kinds)
        {
            if (kind == Command.Type)
            {
                throw new PolicyPackException(id, Fail("'command' steps never take the auto-approval lane."));
            }

            if (ResourceCatalog.Find(kind) is null)
            {
                throw new PolicyPackException(id, Fail($"unknown kind '{kind}'."));
            }
        }

        return new AutoApprovalLane(id, maxRisk.Value, maxSteps.Value, [.. kinds.Distinct(StringComparer.Ordinal)]);
    }
}
