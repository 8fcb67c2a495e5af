namespace UpmDurable.Providers;

/// <summary>Finds the provider a change targets.</summary>
public sealed class ProviderRegistry(IEnumerable<IChangeProvider> providers, IEnumerable<DisabledProvider>? disabled = null)
{
    readonly Dictionary<string, IChangeProvider> byName = providers.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The names of the providers enabled on this host.</summary>
    public IReadOnlySet<string> Names => byName.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The providers this host refused to enable, with the reason; none of them is in <see cref="Names"/>.</summary>
    public IReadOnlyList<DisabledProvider> Disabled { get; } = [.. (disabled ?? []).OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>The provider of that name, or null when it is not enabled on this host.</summary>
    public IChangeProvider? TryGet(string name) => byName.GetValueOrDefault(name);

    /// <summary>The provider of that name; throws when it is not enabled on this host.</summary>
    public IChangeProvider Get(string name) =>
        byName.TryGetValue(name, out IChangeProvider? provider) ? provider : throw new InvalidOperationException($"Provider '{name}' is not enabled on this host.");
}
