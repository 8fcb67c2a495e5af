namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>A resource for locks and ownership.</summary>
public sealed record ResourceKeyRef(string Provider, string Type, string Name)
{
    /// <summary>The activity contract's form of a storage resource key.</summary>
    public static ResourceKeyRef From(Storage.ResourceKey key) => new(key.Provider, key.Type, key.Name);

    /// <summary>The storage resource key this names.</summary>
    public Storage.ResourceKey ToKey() => new(Provider, Type, Name);
}
