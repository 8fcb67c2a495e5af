using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;

namespace UpmDurable.Core.Tests;

static class TestChanges
{
    public const string Sample = """
        {
          "request": "Create AKS cluster aks-demo in eastus and namespace team-alpha",
          "tenant": "acme",
          "target": {
            "cluster_endpoint_id": "prod-east",
            "resources": [
              {"type": "az_resource_group", "name": "rg-demo", "location": "eastus"},
              {"type": "az_aks", "name": "aks-demo", "resource_group": "rg-demo", "properties": {"node_count": 2}},
              {"type": "k8s_namespace", "name": "team-alpha", "cluster": "aks-demo"}
            ]
          }
        }
        """;

    public static ChangeSpec Spec(string json) => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest));

    public static (ChangeSpec Spec, Plan Plan, PlanAnnotation Annotation) Compile(string json) => Compile(Spec(json));

    public static (ChangeSpec Spec, Plan Plan, PlanAnnotation Annotation) Compile(ChangeSpec spec)
    {
        Plan plan = PlanCompiler.Compile(spec);
        return (spec, plan, PlanAnnotator.Annotate(spec, plan, "user-123", new DateTimeOffset(2025, 10, 9, 12, 0, 0, TimeSpan.Zero)));
    }

    public static string Namespaces(int count, string extra = "")
    {
        string resources = string.Join(", ", Enumerable.Range(0, count).Select(i => $"{{\"type\": \"k8s_namespace\", \"name\": \"ns{i}\"}}"));
        return $"{{\"request\": \"namespaces\", \"tenant\": \"acme\"{extra}, \"target\": {{\"resources\": [{resources}]}}}}";
    }
}
