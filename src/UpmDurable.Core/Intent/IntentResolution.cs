using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Intent;

/// <summary>The implied parts of an intent sentence (see <see cref="IntentGrammar"/>): what a clause does not say, the text around it decides.</summary>
internal static class IntentResolution
{
    /// <summary>The resources of the clauses with their implied parts (location, resource group, cluster, namespace); throws naming every gap.</summary>
    public static List<ResourceSpec> Resolve(List<IntentClause> clauses, List<string> problems)
    {
        string? firstLocation = clauses.Select(c => c.Location).FirstOrDefault(l => l is not null);
        var groups = clauses.Where(c => c.Type == "az_resource_group").ToList();
        var azure = clauses.Where(c => IntentGrammar.AzureTypes.Contains(c.Type)).ToList();
        var clusters = clauses.Where(c => c.Type == "az_aks").ToList();
        var namespaces = clauses.Where(c => c.Type == "k8s_namespace").ToList();

        string? impliedGroup = null;
        if (azure.Any(c => c.ResourceGroup is null))
        {
            if (groups.Count == 1)
            {
                impliedGroup = groups[0].Name;
            }
            else if (groups.Count == 0)
            {
                impliedGroup = $"rg-{azure[0].Name}";
                if (impliedGroup.Length > 63 || firstLocation is null)
                {
                    problems.Add(firstLocation is null
                        ? "Say where the Azure resources go: 'in LOCATION' (e.g. 'in eastus') or 'in resource group NAME'."
                        : $"Implied resource group name '{impliedGroup}' is too long: say 'in resource group NAME'.");
                }
                else
                {
                    clauses.Insert(0, new IntentClause("az_resource_group", impliedGroup) { Location = firstLocation });
                }
            }
            else
            {
                problems.Add($"The text creates {groups.Count} resource groups: say 'in resource group NAME' for each Azure resource.");
            }
        }

        var result = new List<ResourceSpec>();
        foreach (IntentClause c in clauses)
        {
            Dictionary<string, JsonElement>? properties = null;
            void Put(string name, JsonElement value) => (properties ??= new(StringComparer.Ordinal))[name] = value;
            string? location = c.Location;
            string? resourceGroup = null;
            string? cluster = null;
            string? ns = null;
            switch (c.Type)
            {
                case "az_resource_group":
                    location ??= firstLocation;
                    if (location is null)
                    {
                        problems.Add($"Say where resource group '{c.Name}' goes: 'in LOCATION'.");
                    }

                    break;
                case "k8s_namespace":
                    cluster = c.Cluster ?? (clusters.Count == 1 ? clusters[0].Name : null);
                    break;
                case "k8s_deployment" or "k8s_service" or "k8s_configmap":
                    cluster = c.Cluster ?? (clusters.Count == 1 ? clusters[0].Name : null);
                    ns = c.Namespace ?? (namespaces.Count == 1 ? namespaces[0].Name : null);
                    if (ns is null)
                    {
                        problems.Add($"Say which namespace '{c.Name}' goes in: 'in namespace NAME'.");
                    }

                    if (c.Type == "k8s_deployment" && c.Image is null)
                    {
                        problems.Add($"Say which image deployment '{c.Name}' runs: 'with image IMAGE'.");
                    }

                    break;
                case "az_subnet" when c.Vnet is null:
                    problems.Add($"Say which virtual network subnet '{c.Name}' belongs to: 'in vnet NAME'.");
                    goto default;
                default:
                    location ??= firstLocation;
                    resourceGroup = c.ResourceGroup ?? impliedGroup;
                    break;
            }

            if (c.Type == "az_subnet")
            {
                location = null; // subnets take the location of their network
            }

            if (c.NodeCount is int nodes)
            {
                Put("node_count", JsonSerializer.SerializeToElement(nodes));
            }

            if (c.Replicas is int replicas)
            {
                Put("replicas", JsonSerializer.SerializeToElement(replicas));
            }

            if (c.Image is not null)
            {
                Put("image", JsonSerializer.SerializeToElement(c.Image));
            }

            if (c.Vnet is not null)
            {
                Put("vnet_name", JsonSerializer.SerializeToElement(c.Vnet));
            }

            result.Add(new ResourceSpec
            {
                Type = c.Type,
                Name = c.Name,
                Location = location,
                ResourceGroup = resourceGroup,
                Cluster = cluster,
                Namespace = ns,
                Properties = properties,
            });
        }

        if (problems.Count > 0)
        {
            throw new IntentParseException([], string.Join(" ", problems.Distinct(StringComparer.Ordinal)));
        }

        return result;
    }
}
