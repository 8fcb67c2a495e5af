using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>The flat read-back view of a resource (identifying fields and properties as strings): what verification diffs.</summary>
public static class ResourceFields
{
    /// <summary>The intended fields of a resource, sorted by name.</summary>
    public static SortedDictionary<string, string> Of(ResourceSpec resource)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, string? value)
        {
            if (value is not null)
            {
                fields[key] = value;
            }
        }

        Put("location", resource.Location);
        Put("resource_group", resource.ResourceGroup);
        Put("cluster", resource.Cluster);
        Put("namespace", resource.Namespace);
        foreach (var (key, value) in resource.Properties ?? [])
        {
            fields[$"properties.{key}"] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return fields;
    }
}
