using System.Text.Json;
using UpmDurable.Core.Catalog;
using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Cli;

/// <summary>
/// A storage resource as <c>az</c> reads it back: its metadata as <c>properties.*</c> fields (the owner marker and other
/// <c>upm_</c> entries apart), the owner marker, and the read-back command's result for the step record.
/// </summary>
public sealed record StorageReadBack(Dictionary<string, string> Fields, string? Owner, CommandResult Result)
{
    /// <summary>Parses the JSON of <c>az storage container show</c>, <c>queue metadata show</c> or <c>table exists</c>; null when it says the resource is absent.</summary>
    public static StorageReadBack? Parse(string type, CommandResult result)
    {
        using JsonDocument doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Stdout) ? "{}" : result.Stdout);
        JsonElement root = doc.RootElement;
        JsonElement? metadata = type switch
        {
            AzStorageContainer.Type when root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out JsonElement m) => m,
            AzStorageQueue.Type => root,
            _ => null,
        };
        if (type == AzStorageTable.Type && !(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("exists", out JsonElement exists) && exists.ValueKind == JsonValueKind.True))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? owner = null;
        if (metadata is { ValueKind: JsonValueKind.Object } entries)
        {
            foreach (JsonProperty entry in entries.EnumerateObject())
            {
                string value = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                if (entry.Name == StorageDataPlane.OwnerKey)
                {
                    owner = value;
                }
                else if (!entry.Name.StartsWith(StorageDataPlane.ReservedPrefix, StringComparison.Ordinal))
                {
                    fields[$"properties.{entry.Name}"] = value;
                }
            }
        }

        return new StorageReadBack(fields, owner, result);
    }
}
