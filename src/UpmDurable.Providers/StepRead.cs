using UpmDurable.Core.Model;

namespace UpmDurable.Providers;

/// <summary>
/// A step's resource as its provider read it just before applying the step: the state the step's before-image keeps,
/// handed on to the apply, so that a step reads its resource once (<see cref="IChangeProvider.ReadForApplyAsync"/>).
/// </summary>
public sealed class StepRead
{
    StepRead(ResourceState? state, object? detail)
    {
        State = state;
        Detail = detail;
    }

    /// <summary>The resource as read; null when it does not exist.</summary>
    public ResourceState? State { get; }

    /// <summary>What the reading provider keeps beside the state for its own apply (cli: the read-back's result); null for a plain read.</summary>
    internal object? Detail { get; }

    /// <summary>A plain read: the provider's apply cannot use it and reads again.</summary>
    public static StepRead Of(ResourceState? state) => new(state, null);

    /// <summary>A read with what the provider's own apply decides from.</summary>
    internal static StepRead WithDetail(ResourceState? state, object detail) => new(state, detail);
}
