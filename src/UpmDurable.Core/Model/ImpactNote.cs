namespace UpmDurable.Core.Model;

/// <summary>What applying the steps of one resource type means, and how many steps there are.</summary>
public sealed record ImpactNote(string Type, int Count, string Note);
