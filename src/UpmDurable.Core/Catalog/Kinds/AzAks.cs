namespace UpmDurable.Core.Catalog;

/// <summary><c>az_aks</c>: a managed Kubernetes (AKS) cluster.</summary>
public static class AzAks
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "az_aks", Tool = KindText.Az, HealthCheck = "aks_connectivity", MonthlyCostUsd = 146m,
        RiskWeight = 30, ImpactNote = "AKS create ~10 min, billable (nodes run continuously).",
        References = [new("resource_group", "az_resource_group", true)],
        Properties = KindText.Props(("node_count", KindText.Num(2)), ("kubernetes_version", KindText.NoDefault), ("node_vm_size", KindText.NoDefault)),
        Create = r => $"az aks create --name {r.Name} --resource-group {r.ResourceGroup}{KindText.Loc(r)}{KindText.Flags(r)}",
        ReadBack = r => $"az aks show --name {r.Name} --resource-group {r.ResourceGroup}",
        Delete = r => $"az aks delete --name {r.Name} --resource-group {r.ResourceGroup} --yes",
    };
}
