using System.Text.Json;

namespace UpmDurable.Core.Model;

/// <summary>One resource of a change, in the catalog's vocabulary.</summary>
public sealed record ResourceSpec
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Location { get; init; }

    public string? ResourceGroup { get; init; }

    public string? Cluster { get; init; }

    public string? Namespace { get; init; }

    public List<string>? DependsOn { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>For <c>type: command</c>: the command line, run by the cli provider through the guarded runner.</summary>
    public string? Command { get; init; }

    /// <summary>For <c>type: command</c>: the read-back command verification runs.</summary>
    public string? ReadBack { get; init; }

    /// <summary>For <c>type: command</c>: the compensating command rollback runs.</summary>
    public string? Rollback { get; init; }

    /// <summary>For <c>type: command</c>: ISO-8601 timeout of the command.</summary>
    public string? Timeout { get; init; }

    /// <summary>
    /// <c>present</c> (the default when absent) or <c>absent</c>: the change deletes the resource (action <c>delete</c>;
    /// rollback re-creates it from its before-image where the provider can). See <see cref="Ensures"/>.
    /// </summary>
    public string? Ensure { get; init; }

    /// <summary>
    /// True: the change may take over this resource when it already exists and the service did not create it (explicit
    /// adoption, recorded in the evidence). Without it pre-flight refuses to touch such a resource.
    /// </summary>
    public bool? Adopt { get; init; }
}
