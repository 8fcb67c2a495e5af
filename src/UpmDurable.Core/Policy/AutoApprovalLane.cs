using UpmDurable.Core.Catalog;

namespace UpmDurable.Core.Policy;

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
