namespace UpmDurable.Core.Execution;

/// <summary>One option a catalog command accepts: its long spelling (<c>--name</c>), optional short alias (<c>-n</c>) and value kind.</summary>
public sealed record CatalogOption(string Name, string? Alias = null, CatalogValue Value = CatalogValue.None, IReadOnlyList<string>? Choices = null);
