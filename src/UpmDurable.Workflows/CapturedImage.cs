using UpmDurable.Providers;

namespace UpmDurable.Workflows;

/// <summary>A step's before-image as captured: the stored image's sha256 and the read it was made from (both null for a step without an image).</summary>
public sealed record CapturedImage(string? Sha256, StepRead? Read);
