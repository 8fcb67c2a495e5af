namespace UpmDurable.Core.Catalog;

/// <summary><c>k8s_namespace</c>: a Kubernetes namespace.</summary>
public static class K8sNamespace
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "k8s_namespace", Tool = KindText.Kubectl, HealthCheck = "k8s_namespace_active", MonthlyCostUsd = 0m,
        RiskWeight = 5, ImpactNote = "Namespace create ~1 s, free; deleting it deletes every object inside.",
        References = [new("cluster", "az_aks", false)],
        Create = r => $"kubectl-1.29 create namespace {r.Name}",
        ReadBack = r => $"kubectl-1.29 get namespace {r.Name} -o json",
        Delete = r => $"kubectl-1.29 delete namespace {r.Name}",
    };
}
