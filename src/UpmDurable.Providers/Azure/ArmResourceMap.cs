using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager.Models;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Azure;

/// <summary>The catalog types the azure provider applies, and what each is in ARM. Resource groups use ARM's resource group API; the rest are generic resources.</summary>
public static class ArmResourceMap
{
    public static readonly ResourceType ResourceGroupType = new("Microsoft.Resources/resourceGroups");

    static readonly ArmResourceKind[] Kinds =
    [
        new() { Type = "az_resource_group", ArmType = ResourceGroupType, ApiVersion = "2022-09-01" },
        new()
        {
            Type = "az_storage_account", ArmType = new ResourceType("Microsoft.Storage/storageAccounts"), ApiVersion = "2023-05-01",
            Body = (r, o) => new GenericResourceData(Location(r))
            {
                Sku = new ResourcesSku { Name = Prop(r, "sku") },
                Kind = Prop(r, "kind"),
                // Secure defaults: HTTPS only, TLS 1.2, no anonymous blob access.
                Properties = Json(new JsonObject { ["supportsHttpsTrafficOnly"] = true, ["minimumTlsVersion"] = "TLS1_2", ["allowBlobPublicAccess"] = false }),
            },
            Read = (d, _) => new() { ["sku"] = d.Sku?.Name, ["kind"] = d.Kind },
        },
        new()
        {
            Type = "az_key_vault", ArmType = new ResourceType("Microsoft.KeyVault/vaults"), ApiVersion = "2023-07-01",
            Body = (r, o) => new GenericResourceData(Location(r))
            {
                Properties = Json(new JsonObject
                {
                    ["tenantId"] = o.TenantId ?? throw new ArmStepRefusedException($"{AzureOptions.Section}:TenantId is needed to create key vaults."),
                    ["sku"] = new JsonObject { ["family"] = "A", ["name"] = Prop(r, "sku") },
                    ["enableRbacAuthorization"] = true,
                    ["enableSoftDelete"] = true,
                }),
            },
            Read = (_, p) => new() { ["sku"] = p?["sku"]?["name"]?.GetValue<string>() },
        },
        new()
        {
            Type = "az_vnet", ArmType = new ResourceType("Microsoft.Network/virtualNetworks"), ApiVersion = "2023-09-01",
            Body = (r, o) => new GenericResourceData(Location(r))
            {
                Properties = Json(new JsonObject
                {
                    ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray([.. (Prop(r, "address_prefixes") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => (JsonNode?)JsonValue.Create(p))]) },
                }),
            },
            Read = (_, p) => new() { ["address_prefixes"] = p?["addressSpace"]?["addressPrefixes"] is JsonArray prefixes ? string.Join(',', prefixes.Select(x => x?.GetValue<string>())) : null },
        },
        new()
        {
            Type = "az_aks", ArmType = new ResourceType("Microsoft.ContainerService/managedClusters"), ApiVersion = "2024-02-01",
            Body = (r, o) =>
            {
                var pool = new JsonObject
                {
                    ["name"] = "system",
                    ["mode"] = "System",
                    ["osType"] = "Linux",
                    ["count"] = int.Parse(Prop(r, "node_count") ?? "2", System.Globalization.CultureInfo.InvariantCulture),
                    ["vmSize"] = Prop(r, "node_vm_size") ?? o.DefaultAksNodeVmSize,
                };
                var properties = new JsonObject { ["dnsPrefix"] = r.Name, ["agentPoolProfiles"] = new JsonArray(pool) };
                if (Prop(r, "kubernetes_version") is { } version)
                {
                    properties["kubernetesVersion"] = version;
                }

                return new GenericResourceData(Location(r)) { Identity = new ManagedServiceIdentity(ManagedServiceIdentityType.SystemAssigned), Properties = Json(properties) };
            },
            Read = (_, p) =>
            {
                JsonNode? pool = p?["agentPoolProfiles"]?[0];
                return new()
                {
                    ["node_count"] = pool?["count"]?.ToJsonString(),
                    ["node_vm_size"] = pool?["vmSize"]?.GetValue<string>(),
                    ["kubernetes_version"] = p?["kubernetesVersion"]?.GetValue<string>(),
                };
            },
        },
    ];

    /// <summary>Every mapped kind, by catalog type.</summary>
    public static readonly IReadOnlyDictionary<string, ArmResourceKind> ByType = Kinds.ToDictionary(k => k.Type, StringComparer.Ordinal);

    /// <summary>Whether the azure provider can apply resources of a catalog type (not Kubernetes objects, commands, or subnets yet).</summary>
    public static bool Supports(string type) => ByType.ContainsKey(type);

    /// <summary>The mapped kind of a type; throws <see cref="ArmStepRefusedException"/> for types the provider does not apply.</summary>
    public static ArmResourceKind For(string type) => ByType.TryGetValue(type, out ArmResourceKind? kind) ? kind
        : throw new ArmStepRefusedException($"The azure provider does not apply '{type}' resources; supported: {string.Join(", ", ByType.Keys)}.");

    /// <summary>The api-version of an ARM type: the configured override, else the pinned one.</summary>
    public static string ApiVersion(ArmResourceKind kind, AzureOptions options) =>
        options.ApiVersions.TryGetValue(kind.ArmType.ToString(), out string? version) ? version : kind.ApiVersion;

    /// <summary>The ARM id of a resource of a change.</summary>
    public static ResourceIdentifier IdOf(string subscription, ArmResourceKind kind, ResourceSpec resource)
    {
        string group = $"/subscriptions/{subscription}/resourceGroups/{(kind.ArmType == ResourceGroupType ? resource.Name : resource.ResourceGroup)}";
        return new ResourceIdentifier(kind.ArmType == ResourceGroupType ? group : $"{group}/providers/{kind.ArmType}/{resource.Name}");
    }

    static string? Prop(ResourceSpec resource, string name) => ResourceCatalog.Prop(resource, name);

    // The resource group's location is filled in by the provider when the request gives none.
    static AzureLocation Location(ResourceSpec resource) => new(resource.Location ?? throw new ArmStepRefusedException($"{resource.Type}/{resource.Name} has no location."));

    static BinaryData Json(JsonObject body) => BinaryData.FromString(body.ToJsonString());
}
