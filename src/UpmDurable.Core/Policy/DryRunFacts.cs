namespace UpmDurable.Core.Policy;

/// <summary>
/// What pre-flight learned from the provider's current state that policy conditions may use (see <see cref="PolicyContext"/>):
/// each step's dry-run action, the steps that adopt an existing resource the service did not create, and the steps the
/// provider could not restore from a before-image (step id to reason). Before pre-flight (at submission) there are none.
/// </summary>
public sealed record DryRunFacts(
    IReadOnlyDictionary<string, string> Actions,
    IReadOnlyCollection<string> Adoptions,
    IReadOnlyDictionary<string, string> Irreversible)
{
    /// <summary>No dry run yet: every action reads <c>''</c>, no adoption, nothing irreversible.</summary>
    public static DryRunFacts None { get; } = new(new Dictionary<string, string>(), [], new Dictionary<string, string>());
}
