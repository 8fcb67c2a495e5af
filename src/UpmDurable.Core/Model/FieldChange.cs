namespace UpmDurable.Core.Model;

/// <summary>One field a step changes: its value before (null: not set) and after (null: removed).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);
