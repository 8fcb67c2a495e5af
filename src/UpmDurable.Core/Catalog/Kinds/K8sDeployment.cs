namespace UpmDurable.Core.Catalog;

/// <summary><c>k8s_deployment</c>: a Kubernetes deployment in a namespace.</summary>
public static class K8sDeployment
{
    public static ResourceKind Kind { get; } = new()
    {
        Type = "k8s_deployment", Tool = KindText.Kubectl, HealthCheck = "k8s_rollout_status", MonthlyCostUsd = 0m,
        RiskWeight = 15, ImpactNote = "Deployment rollout ~1-3 min, runs on existing nodes; serves traffic once ready.",
        References = [new("cluster", "az_aks", false), new("namespace", "k8s_namespace", true)],
        Properties = KindText.Props(("image", KindText.NoDefault), ("replicas", KindText.Num(1))),
        RequiredProperties = ["image"],
        Create = r => $"kubectl-1.29 create deployment {r.Name} --namespace {r.Namespace}{KindText.Flags(r)}",
        ReadBack = r => $"kubectl-1.29 get deployment {r.Name} --namespace {r.Namespace} -o json",
        Delete = r => $"kubectl-1.29 delete deployment {r.Name} --namespace {r.Namespace}",
    };
}
