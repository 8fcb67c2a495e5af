namespace UpmDurable.Core.Model;

/// <summary>What a resource of a request should be after the change (<see cref="ResourceSpec.Ensure"/>).</summary>
public static class Ensures
{
    /// <summary>The resource exists with the request's fields (the default).</summary>
    public const string Present = "present";

    /// <summary>The resource is deleted by the change.</summary>
    public const string Absent = "absent";

    /// <summary>Every word: derived from the constants above.</summary>
    public static readonly IReadOnlyList<string> All = Vocabulary.Of(typeof(Ensures));

    /// <summary>Whether the resource is to be deleted.</summary>
    public static bool IsAbsent(ResourceSpec resource) => resource.Ensure == Absent;
}
