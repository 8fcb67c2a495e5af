namespace UpmDurable.Api;

/// <summary>A query or header parameter of a route.</summary>
public sealed record ApiParameter(string Name, string In, string Description, string Type = "string", bool Required = false, IReadOnlyList<string>? Enum = null);
