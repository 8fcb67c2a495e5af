namespace UpmDurable.Core.Catalog;

/// <summary><c>az_vnet</c>: a virtual network in a resource group.</summary>
public static class AzVnet
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_vnet", Tool = KindText.Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
        RiskWeight = 15, ImpactNote = "Virtual network create ~15 s, free; address space changes affect every subnet.",
        References = [new("resource_group", "az_resource_group", true)],
        Properties = KindText.Props(("address_prefixes", KindText.Str("10.0.0.0/16"))),
        Create = r => $"az network vnet create --name {r.Name} --resource-group {r.ResourceGroup}{KindText.Loc(r)}{KindText.Flags(r)}",
        ReadBack = r => $"az network vnet show --name {r.Name} --resource-group {r.ResourceGroup}",
        Delete = r => $"az network vnet delete --name {r.Name} --resource-group {r.ResourceGroup}",
    };
}
