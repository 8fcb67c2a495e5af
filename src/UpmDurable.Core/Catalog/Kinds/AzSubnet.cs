namespace UpmDurable.Core.Catalog;

/// <summary><c>az_subnet</c>: a subnet of a virtual network.</summary>
public static class AzSubnet
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_subnet", Tool = KindText.Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
        RiskWeight = 15, ImpactNote = "Subnet create ~10 s, free; workloads in it lose connectivity if it is removed.",
        References = [new("resource_group", "az_resource_group", true), new("properties.vnet_name", "az_vnet", true)],
        Properties = KindText.Props(("vnet_name", KindText.NoDefault), ("address_prefixes", KindText.Str("10.0.1.0/24"))),
        RequiredProperties = ["vnet_name"],
        Create = r => $"az network vnet subnet create --name {r.Name} --resource-group {r.ResourceGroup}{KindText.Flags(r)}",
        ReadBack = r => $"az network vnet subnet show --name {r.Name} --resource-group {r.ResourceGroup} --vnet-name {ResourceCatalog.Prop(r, "vnet_name")}",
        Delete = r => $"az network vnet subnet delete --name {r.Name} --resource-group {r.ResourceGroup} --vnet-name {ResourceCatalog.Prop(r, "vnet_name")}",
    };
}
