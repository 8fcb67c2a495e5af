namespace UpmDurable.Core.Validation;

/// <summary>Field-level errors, keyed by the field's path in the request (e.g. <c>target.resources[1].type</c>).</summary>
public sealed class ValidationErrors
{
    readonly SortedDictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out List<string>? list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>The errors as the problem-details <c>errors</c> member wants them.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
