using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager.Resources;
using UpmDurable.Core.Catalog;

namespace UpmDurable.Providers.Azure;

// How an ARM resource is read into the flat field view the engine diffs (reported fields per the fields tag).
public sealed partial class AzureProvider
{
    static ArmSnapshot Snapshot(ArmResourceKind kind, ResourceGroupData data)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["location"] = data.Location.Name };
        return Snapshot(kind, data.Id, data.Name, data.Location.Name, data.ResourceGroupProvisioningState, data.Tags, fields);
    }

    static ArmSnapshot Snapshot(ArmResourceKind kind, GenericResourceData data)
    {
        JsonNode? properties = data.Properties is null ? null : JsonNode.Parse(data.Properties.ToString());
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["location"] = data.Location.Name,
            ["resource_group"] = data.Id.ResourceGroupName ?? string.Empty,
        };
        foreach (var (property, value) in kind.Read!(data, properties))
        {
            if (value is not null)
            {
                fields[$"properties.{property}"] = value;
            }
        }

        string? state = properties?["provisioningState"] is JsonValue v && v.TryGetValue(out string? s) ? s : data.ProvisioningState;
        return Snapshot(kind, data.Id, data.Name, data.Location.Name, state, data.Tags, fields);
    }

    static ArmSnapshot Snapshot(ArmResourceKind kind, ResourceIdentifier id, string name, string location, string? provisioningState, IDictionary<string, string> tags, Dictionary<string, string> all)
    {
        // What the plan gave (tagged at apply); for resources we did not create: what the catalog always plans.
        HashSet<string> reported = tags.TryGetValue(FieldsTag, out string? given)
            ? given.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : DefaultFields(kind.Type);
        return new ArmSnapshot(
            id,
            location,
            provisioningState,
            new Dictionary<string, string>(tags, StringComparer.Ordinal),
            all,
            new ResourceState
            {
                Type = kind.Type,
                Name = name,
                Fields = all.Where(f => reported.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
                Health = string.Equals(provisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase) ? "healthy" : "unhealthy",
                CreatedBy = tags.TryGetValue(ChangeTag, out string? createdBy) ? createdBy : null,
            });
    }

    static HashSet<string> DefaultFields(string type)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal) { "location" };
        if (type != "az_resource_group")
        {
            fields.Add("resource_group");
        }

        foreach (var (property, value) in ResourceCatalog.Find(type)?.Properties ?? new Dictionary<string, JsonElement?>())
        {
            if (value is not null)
            {
                fields.Add($"properties.{property}");
            }
        }

        return fields;
    }

    /// <summary>A resource as read from ARM: id, tags, every mapped field, and the state reported to the engine.</summary>
    sealed record ArmSnapshot(ResourceIdentifier Id, string Location, string? ProvisioningState, Dictionary<string, string> Tags, Dictionary<string, string> AllFields, ResourceState State);

    // What a step's StepRead carries for this provider's apply: the snapshot of the GET made for its before-image (null: absent).
    sealed record ArmReadForApply(ArmSnapshot? Current);
}
