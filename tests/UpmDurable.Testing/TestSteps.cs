using UpmDurable.Core.Model;

namespace UpmDurable.Testing;

/// <summary>Plan steps tests build by hand, for activities and providers run without a compiled plan.</summary>
public static class TestSteps
{
    /// <summary>A one-wave <c>k8s_namespace</c> step with the catalog's commands, for the given resource.</summary>
    public static PlanStep Namespace(string name, ResourceSpec resource) => new()
    {
        Id = $"k8s_namespace/{name}",
        Type = "k8s_namespace",
        Name = name,
        Wave = 1,
        DependsOn = [],
        Command = $"kubectl-1.29 create namespace {name}",
        ReadBack = $"kubectl-1.29 get namespace {name} -o json",
        HealthCheck = "k8s_namespace_active",
        Rollback = $"kubectl-1.29 delete namespace {name}",
        IdempotencyKey = "k",
        Resource = resource,
    };
}
