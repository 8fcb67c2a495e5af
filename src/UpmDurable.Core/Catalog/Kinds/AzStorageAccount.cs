namespace UpmDurable.Core.Catalog;

/// <summary><c>az_storage_account</c>: a storage account in a resource group.</summary>
public static class AzStorageAccount
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_storage_account", Tool = KindText.Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 25m,
        RiskWeight = 10, ImpactNote = "Storage account create ~30 s, billable (capacity and transactions).",
        References = [new("resource_group", "az_resource_group", true)],
        Properties = KindText.Props(("sku", KindText.Str("Standard_LRS")), ("kind", KindText.Str("StorageV2"))),
        Create = r => $"az storage account create --name {r.Name} --resource-group {r.ResourceGroup}{KindText.Loc(r)}{KindText.Flags(r)}",
        ReadBack = r => $"az storage account show --name {r.Name} --resource-group {r.ResourceGroup}",
        Delete = r => $"az storage account delete --name {r.Name} --resource-group {r.ResourceGroup} --yes",
    };
}
