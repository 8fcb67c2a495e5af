using System.Globalization;
using System.Text;
using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Catalog;

/// <summary>The resource types a change may contain. Adding a type is adding one entry to <see cref="Kinds"/>.</summary>
public static class ResourceCatalog
{
    const string Az = "az";
    const string Kubectl = "kubectl-1.29";

    static JsonElement? NoDefault => null;

    /// <summary>Every known resource type, by name.</summary>
    public static readonly IReadOnlyDictionary<string, ResourceKind> Kinds = new[]
    {
        new ResourceKind
        {
            Type = "az_resource_group", Tool = Az, LocationRequired = true, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
            Create = r => $"az group create --name {r.Name} --location {r.Location}",
            ReadBack = r => $"az group show --name {r.Name}",
            Delete = r => $"az group delete --name {r.Name} --yes",
        },
        new ResourceKind
        {
            Type = "az_storage_account", Tool = Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 25m,
            References = [new("resource_group", "az_resource_group", true)],
            Properties = Props(("sku", Str("Standard_LRS")), ("kind", Str("StorageV2"))),
            Create = r => $"az storage account create --name {r.Name} --resource-group {r.ResourceGroup}{Loc(r)}{Flags(r)}",
            ReadBack = r => $"az storage account show --name {r.Name} --resource-group {r.ResourceGroup}",
            Delete = r => $"az storage account delete --name {r.Name} --resource-group {r.ResourceGroup} --yes",
        },
        new ResourceKind
        {
            Type = "az_vnet", Tool = Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
            References = [new("resource_group", "az_resource_group", true)],
            Properties = Props(("address_prefixes", Str("10.0.0.0/16"))),
            Create = r => $"az network vnet create --name {r.Name} --resource-group {r.ResourceGroup}{Loc(r)}{Flags(r)}",
            ReadBack = r => $"az network vnet show --name {r.Name} --resource-group {r.ResourceGroup}",
            Delete = r => $"az network vnet delete --name {r.Name} --resource-group {r.ResourceGroup}",
        },
        new ResourceKind
        {
            Type = "az_subnet", Tool = Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
            References = [new("resource_group", "az_resource_group", true), new("properties.vnet_name", "az_vnet", true)],
            Properties = Props(("vnet_name", NoDefault), ("address_prefixes", Str("10.0.1.0/24"))),
            RequiredProperties = ["vnet_name"],
            Create = r => $"az network vnet subnet create --name {r.Name} --resource-group {r.ResourceGroup}{Flags(r)}",
            ReadBack = r => $"az network vnet subnet show --name {r.Name} --resource-group {r.ResourceGroup} --vnet-name {Prop(r, "vnet_name")}",
            Delete = r => $"az network vnet subnet delete --name {r.Name} --resource-group {r.ResourceGroup} --vnet-name {Prop(r, "vnet_name")}",
        },
        new ResourceKind
        {
            Type = "az_aks", Tool = Az, HealthCheck = "aks_connectivity", MonthlyCostUsd = 146m,
            References = [new("resource_group", "az_resource_group", true)],
            Properties = Props(("node_count", Num(2)), ("kubernetes_version", NoDefault), ("node_vm_size", NoDefault)),
            Create = r => $"az aks create --name {r.Name} --resource-group {r.ResourceGroup}{Loc(r)}{Flags(r)}",
            ReadBack = r => $"az aks show --name {r.Name} --resource-group {r.ResourceGroup}",
            Delete = r => $"az aks delete --name {r.Name} --resource-group {r.ResourceGroup} --yes",
        },
        new ResourceKind
        {
            Type = "az_key_vault", Tool = Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 5m,
            References = [new("resource_group", "az_resource_group", true)],
            Properties = Props(("sku", Str("standard"))),
            Create = r => $"az keyvault create --name {r.Name} --resource-group {r.ResourceGroup}{Loc(r)}{Flags(r)}",
            ReadBack = r => $"az keyvault show --name {r.Name} --resource-group {r.ResourceGroup}",
            Delete = r => $"az keyvault delete --name {r.Name} --resource-group {r.ResourceGroup}",
        },
        new ResourceKind
        {
            Type = "k8s_namespace", Tool = Kubectl, HealthCheck = "k8s_namespace_active", MonthlyCostUsd = 0m,
            References = [new("cluster", "az_aks", false)],
            Create = r => $"kubectl-1.29 create namespace {r.Name}",
            ReadBack = r => $"kubectl-1.29 get namespace {r.Name} -o json",
            Delete = r => $"kubectl-1.29 delete namespace {r.Name}",
        },
        new ResourceKind
        {
            Type = "k8s_deployment", Tool = Kubectl, HealthCheck = "k8s_rollout_status", MonthlyCostUsd = 0m,
            References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
            Properties = Props(("image", NoDefault), ("replicas", Num(1))),
            RequiredProperties = ["image"],
            Create = r => $"kubectl-1.29 create deployment {r.Name} --namespace {r.Namespace}{Flags(r)}",
            ReadBack = r => $"kubectl-1.29 get deployment {r.Name} --namespace {r.Namespace} -o json",
            Delete = r => $"kubectl-1.29 delete deployment {r.Name} --namespace {r.Namespace}",
        },
        new ResourceKind
        {
            Type = "k8s_service", Tool = Kubectl, HealthCheck = "k8s_endpoints_ready", MonthlyCostUsd = 0m,
            References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
            Properties = Props(("tcp", Str("80:80"))),
            Create = r => $"kubectl-1.29 create service clusterip {r.Name} --namespace {r.Namespace}{Flags(r)}",
            ReadBack = r => $"kubectl-1.29 get service {r.Name} --namespace {r.Namespace} -o json",
            Delete = r => $"kubectl-1.29 delete service {r.Name} --namespace {r.Namespace}",
        },
        new ResourceKind
        {
            Type = "k8s_configmap", Tool = Kubectl, HealthCheck = "k8s_object_present", MonthlyCostUsd = 0m,
            References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
            Properties = Props(("from_literal", NoDefault)),
            Create = r => $"kubectl-1.29 create configmap {r.Name} --namespace {r.Namespace}{Flags(r)}",
            ReadBack = r => $"kubectl-1.29 get configmap {r.Name} --namespace {r.Namespace} -o json",
            Delete = r => $"kubectl-1.29 delete configmap {r.Name} --namespace {r.Namespace}",
        },
    }.ToDictionary(k => k.Type, StringComparer.Ordinal);

    /// <summary>The kind of a type, or null when the catalog does not know it.</summary>
    public static ResourceKind? Find(string? type) => type is not null && Kinds.TryGetValue(type, out ResourceKind? kind) ? kind : null;

    /// <summary>A property value as command text.</summary>
    public static string? Prop(ResourceSpec resource, string name) =>
        resource.Properties is not null && resource.Properties.TryGetValue(name, out JsonElement value) ? Render(value) : null;

    static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    static string Loc(ResourceSpec r) => r.Location is null ? string.Empty : $" --location {r.Location}";

    // Properties become flags in a fixed (ordinal) order, so the same resource always yields the same command.
    static string Flags(ResourceSpec r)
    {
        if (r.Properties is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in r.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name == "vnet_name" && r.Type == "az_subnet")
            {
                text.Append(CultureInfo.InvariantCulture, $" --vnet-name {Render(value)}");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $" --{name.Replace('_', '-')}{(value.ValueKind == JsonValueKind.String && name == "from_literal" ? "=" : " ")}{Render(value)}");
        }

        return text.ToString();
    }

    static Dictionary<string, JsonElement?> Props(params (string Name, JsonElement? Default)[] props) =>
        props.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);

    static JsonElement? Str(string value) => JsonSerializer.SerializeToElement(value);

    static JsonElement? Num(int value) => JsonSerializer.SerializeToElement(value);
}
