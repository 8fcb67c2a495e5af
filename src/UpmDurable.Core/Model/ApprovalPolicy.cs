namespace UpmDurable.Core.Model;

/// <summary>Who must approve a change, how many, and for how long the change waits.</summary>
public sealed record ApprovalPolicy
{
    public List<string>? Groups { get; init; }

    public int? Required { get; init; }

    /// <summary>ISO-8601 duration, e.g. <c>P3D</c> or <c>PT30S</c>.</summary>
    public string? Timeout { get; init; }
}
