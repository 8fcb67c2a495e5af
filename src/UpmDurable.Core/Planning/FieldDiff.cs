using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>
/// The field-level difference between two flat field views (<see cref="ResourceFields"/>), compared by name, never by
/// dictionary order: the one rule of "what changes" for the dry run, rollback restores and conflict checks.
/// </summary>
public static class FieldDiff
{
    /// <summary>
    /// Every field whose value differs from <paramref name="before"/> to <paramref name="after"/>, sorted by field name
    /// (ordinal). A null side means the resource does not exist (every field of the other side is set or removed).
    /// </summary>
    public static List<FieldChange> Between(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        names.UnionWith(before?.Keys ?? Enumerable.Empty<string>());
        names.UnionWith(after?.Keys ?? Enumerable.Empty<string>());
        var changes = new List<FieldChange>();
        foreach (string name in names)
        {
            string? was = before is not null && before.TryGetValue(name, out string? b) ? b : null;
            string? will = after is not null && after.TryGetValue(name, out string? a) ? a : null;
            if (!string.Equals(was, will, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(name, was, will));
            }
        }

        return changes;
    }

    /// <summary>Whether the two views hold the same fields with the same values, whatever their order.</summary>
    public static bool Same(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after) =>
        Between(before, after).Count == 0;
}
