namespace UpmDurable.Core.Model;

/// <summary>The change window a change must run in.</summary>
public sealed record WindowPolicy
{
    /// <summary>Name of a calendar of the windows file; null: the host's default calendar.</summary>
    public string? Calendar { get; init; }

    /// <summary>Outside the window: wait on a durable timer until it opens (true, the default) or fail (false).</summary>
    public bool? Wait { get; init; }
}
