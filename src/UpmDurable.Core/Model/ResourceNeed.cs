namespace UpmDurable.Core.Model;

/// <summary>A prerequisite the pre-flight checks: a quota with a minimum, or a resource that must already exist.</summary>
public sealed record ResourceNeed
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Location { get; init; }

    public int? Min { get; init; }
}
