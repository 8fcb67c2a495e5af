namespace UpmDurable.Providers;

/// <summary>A resource as the provider reads it back.</summary>
public sealed record ResourceState
{
    public required string Type { get; init; }

    public required string Name { get; init; }

    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary><c>healthy</c> or <c>unhealthy</c>.</summary>
    public required string Health { get; init; }

    public string? CreatedBy { get; init; }

    public int ApplyCount { get; init; }
}
