using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager.Resources;
using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Azure;

/// <summary>How one catalog type is an ARM resource: its type, pinned api-version, the PUT body and how read-back maps back to plan fields.</summary>
public sealed record ArmResourceKind
{
    /// <summary>The catalog type (<c>az_storage_account</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The ARM resource type (<c>Microsoft.Storage/storageAccounts</c>).</summary>
    public required ResourceType ArmType { get; init; }

    /// <summary>The api-version requests use, pinned so a provider's new default never changes what we send.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The body of the PUT (location, sku, kind, identity and properties; tags are added by the provider).</summary>
    public Func<ResourceSpec, AzureOptions, GenericResourceData>? Body { get; init; }

    /// <summary>Read-back: the plan's <c>properties.*</c> fields from ARM's answer, by property name.</summary>
    public Func<GenericResourceData, JsonNode?, Dictionary<string, string?>>? Read { get; init; }
}
