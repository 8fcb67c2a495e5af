namespace UpmDurable.Storage;

/// <summary>A resource as locks and ownership know it.</summary>
public sealed record ResourceKey(string Provider, string Type, string Name)
{
    /// <summary>The one mapping of plan steps to the resources they lock and own: a step's type and name on the change's provider.</summary>
    public static List<ResourceKey> OfSteps(string provider, IEnumerable<UpmDurable.Core.Model.PlanStep> steps) =>
        steps.Select(s => Of(provider, s)).ToList();

    /// <summary>The resource a plan step locks and owns.</summary>
    public static ResourceKey Of(string provider, UpmDurable.Core.Model.PlanStep step) => new(provider, step.Type, step.Name);

    [System.Text.Json.Serialization.JsonIgnore]
    public string RowKey => $"{Provider}~{Type}~{Name}";

    /// <summary>The partition of the resource's row for that tenant: the tenant's own, or the shared one (<see cref="ResourceNamespace"/>).</summary>
    public string PartitionOf(string tenant) => ResourceNamespace.PartitionOf(tenant, Provider);

    public override string ToString() => $"{Type}/{Name}";
}
