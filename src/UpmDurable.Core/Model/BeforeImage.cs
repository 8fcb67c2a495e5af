namespace UpmDurable.Core.Model;

/// <summary>
/// A resource as it was before a mutating step touched it: captured by the apply activity before the provider writes,
/// stored write-once with the change's evidence, and what compensation restores. Secrets are redacted before it is
/// stored. Append-only contract.
/// </summary>
public sealed record BeforeImage
{
    public required string StepId { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    /// <summary>False: the resource did not exist (compensation deletes what the step created).</summary>
    public required bool Existed { get; init; }

    /// <summary>The flat field view as read (<see cref="Planning.ResourceFields"/> shape), redacted.</summary>
    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary>The change that created the resource, as the provider reports it; null when the service did not.</summary>
    public string? CreatedBy { get; init; }

    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>Why the provider cannot put this resource back from the image (null: it can).</summary>
    public string? NotRestorable { get; init; }
}
