using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Catalog;

/// <summary>One resource type of the catalog: its fields, references, version-pinned commands and health check.</summary>
public sealed record ResourceKind
{
    public required string Type { get; init; }

    /// <summary>The version-pinned tool that runs its commands (<c>az</c> 2.x, <c>kubectl-1.29</c>).</summary>
    public required string Tool { get; init; }

    public bool LocationRequired { get; init; }

    public IReadOnlyList<ResourceReference> References { get; init; } = [];

    /// <summary>Allowed properties and their default values (null: optional without default).</summary>
    public IReadOnlyDictionary<string, JsonElement?> Properties { get; init; } = new Dictionary<string, JsonElement?>();

    /// <summary>Properties that must be given.</summary>
    public IReadOnlyList<string> RequiredProperties { get; init; } = [];

    public required Func<ResourceSpec, string> Create { get; init; }

    public required Func<ResourceSpec, string> ReadBack { get; init; }

    public required Func<ResourceSpec, string> Delete { get; init; }

    /// <summary>Brings an existing resource to the intended properties (null: the create command does it, or nothing can change).</summary>
    public Func<ResourceSpec, string>? Update { get; init; }

    /// <summary>Extra naming rules of the target beyond the catalog-wide name pattern: the problem with a name, or null when it is valid.</summary>
    public Func<string, string?>? NameRule { get; init; }

    /// <summary>
    /// When set, properties are free-form (e.g. container metadata): any name for which this returns null is allowed, and
    /// <see cref="Properties"/> only lists defaults. Returns the problem with a property name.
    /// </summary>
    public Func<string, string?>? OpenPropertyRule { get; init; }

    /// <summary>What verification checks after the resource is applied, e.g. <c>aks_connectivity</c>.</summary>
    public required string HealthCheck { get; init; }

    /// <summary>Monthly price estimate in USD, for the cost annotation.</summary>
    public decimal MonthlyCostUsd { get; init; }

    /// <summary>How much one step of this kind adds to the risk score (0-30): see <c>PlanAnnotator</c>.</summary>
    public int RiskWeight { get; init; }

    /// <summary>What applying it means for people: duration, billing, what else it affects.</summary>
    public string ImpactNote { get; init; } = string.Empty;
}
