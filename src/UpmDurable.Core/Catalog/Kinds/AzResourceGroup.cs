namespace UpmDurable.Core.Catalog;

/// <summary><c>az_resource_group</c>: a resource group, the container of the Azure resources of a change.</summary>
public static class AzResourceGroup
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_resource_group", Tool = KindText.Az, LocationRequired = true, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 0m,
        RiskWeight = 10, ImpactNote = "Resource group create ~10 s, free; deleting it deletes everything inside.",
        Create = r => $"az group create --name {r.Name} --location {r.Location}",
        ReadBack = r => $"az group show --name {r.Name}",
        Delete = r => $"az group delete --name {r.Name} --yes",
    };
}
