namespace UpmDurable.Core.Validation;

/// <summary>A request that cannot become a change, with every bad field named.</summary>
public sealed class ChangeValidationException(ValidationErrors errors)
    : Exception("The change request is invalid: " + errors)
{
    public ValidationErrors Errors { get; } = errors;
}
