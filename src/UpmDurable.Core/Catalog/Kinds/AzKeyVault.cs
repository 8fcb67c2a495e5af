namespace UpmDurable.Core.Catalog;

/// <summary><c>az_key_vault</c>: a key vault for secrets, keys and certificates.</summary>
public static class AzKeyVault
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_key_vault", Tool = KindText.Az, HealthCheck = "arm_provisioning_state", MonthlyCostUsd = 5m,
        RiskWeight = 20, ImpactNote = "Key vault create ~30 s, billable per operation; deleted vaults are soft-deleted and keep their name.",
        References = [new("resource_group", "az_resource_group", true)],
        Properties = KindText.Props(("sku", KindText.Str("standard"))),
        Create = r => $"az keyvault create --name {r.Name} --resource-group {r.ResourceGroup}{KindText.Loc(r)}{KindText.Flags(r)}",
        ReadBack = r => $"az keyvault show --name {r.Name} --resource-group {r.ResourceGroup}",
        Delete = r => $"az keyvault delete --name {r.Name} --resource-group {r.ResourceGroup}",
    };
}
