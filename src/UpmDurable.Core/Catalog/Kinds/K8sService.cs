namespace UpmDurable.Core.Catalog;

/// <summary><c>k8s_service</c>: a Kubernetes ClusterIP service in a namespace.</summary>
public static class K8sService
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "k8s_service", Tool = KindText.Kubectl, HealthCheck = "k8s_endpoints_ready", MonthlyCostUsd = 0m,
        RiskWeight = 10, ImpactNote = "Service create ~1 s, free (ClusterIP); changes routing for matching pods.",
        References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
        Properties = KindText.Props(("tcp", KindText.Str("80:80"))),
        Create = r => $"kubectl-1.29 create service clusterip {r.Name} --namespace {r.Namespace}{KindText.Flags(r)}",
        ReadBack = r => $"kubectl-1.29 get service {r.Name} --namespace {r.Namespace} -o json",
        Delete = r => $"kubectl-1.29 delete service {r.Name} --namespace {r.Namespace}",
    };
}
