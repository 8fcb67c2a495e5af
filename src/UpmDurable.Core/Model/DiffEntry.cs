namespace UpmDurable.Core.Model;

/// <summary>One difference between the intended and the read-back state.</summary>
public sealed record DiffEntry(string Resource, string Field, string? Intended, string? Actual);
