using Cel;

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
