using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Catalog;

/// <summary>The resource types a change may contain. Adding a type is one file under <c>Catalog/Kinds</c> plus its line in <see cref="Registered"/>.</summary>
public static class ResourceCatalog
{
    /// <summary>The registered kinds, one per file under <c>Catalog/Kinds</c>.</summary>
    static readonly ResourceKind[] Registered =
    [
        AzResourceGroup.Kind,
        AzStorageAccount.Kind,
        AzVnet.Kind,
        AzSubnet.Kind,
        AzAks.Kind,
        AzKeyVault.Kind,
        AzStorageContainer.Kind,
        AzStorageTable.Kind,
        AzStorageQueue.Kind,
        K8sNamespace.Kind,
        K8sDeployment.Kind,
        K8sService.Kind,
        K8sConfigmap.Kind,
        Command.Kind,
    ];

    /// <summary>The types the <c>cli</c> provider runs against its local target (storage data plane) or as guarded commands.</summary>
    public static readonly IReadOnlyList<string> CliProviderTypes = [AzStorageContainer.Type, AzStorageTable.Type, AzStorageQueue.Type, Command.Type];

    /// <summary>Every known resource type, by name.</summary>
    public static readonly IReadOnlyDictionary<string, ResourceKind> Kinds = Registered.ToDictionary(k => k.Type, StringComparer.Ordinal);

    /// <summary>The kind of a type, or null when the catalog does not know it.</summary>
    public static ResourceKind? Find(string? type) => type is not null && Kinds.TryGetValue(type, out ResourceKind? kind) ? kind : null;

    /// <summary>A property value as command text.</summary>
    public static string? Prop(ResourceSpec resource, string name) =>
        resource.Properties is not null && resource.Properties.TryGetValue(name, out JsonElement value) ? KindText.Render(value) : null;
}
