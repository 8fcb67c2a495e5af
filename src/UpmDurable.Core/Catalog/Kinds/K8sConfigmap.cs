namespace UpmDurable.Core.Catalog;

/// <summary><c>k8s_configmap</c>: a Kubernetes config map in a namespace.</summary>
public static class K8sConfigmap
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "k8s_configmap", Tool = KindText.Kubectl, HealthCheck = "k8s_object_present", MonthlyCostUsd = 0m,
        RiskWeight = 5, ImpactNote = "Config map create ~1 s, free; pods read it at start.",
        References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
        Properties = KindText.Props(("from_literal", KindText.NoDefault)),
        Create = r => $"kubectl-1.29 create configmap {r.Name} --namespace {r.Namespace}{KindText.Flags(r)}",
        ReadBack = r => $"kubectl-1.29 get configmap {r.Name} --namespace {r.Namespace} -o json",
        Delete = r => $"kubectl-1.29 delete configmap {r.Name} --namespace {r.Namespace}",
    };
}
