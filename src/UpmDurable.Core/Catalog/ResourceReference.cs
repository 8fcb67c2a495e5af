namespace UpmDurable.Core.Catalog;

/// <summary>Where a resource field points: the named resource of <see cref="TargetType"/> is a dependency.</summary>
/// <param name="Field">The field as the request spells it (<c>resource_group</c>, <c>cluster</c>, <c>namespace</c>, or <c>properties.x</c>).</param>
/// <param name="TargetType">The resource type the field names.</param>
/// <param name="Required">Whether the field must be present.</param>
public sealed record ResourceReference(string Field, string TargetType, bool Required);
