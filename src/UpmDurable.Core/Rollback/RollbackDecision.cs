using UpmDurable.Core.Model;

namespace UpmDurable.Core.Rollback;

/// <summary>What rolling back one step does (<see cref="RollbackActions"/>), the fields it sets, and why.</summary>
public sealed record RollbackDecision(string Action, List<FieldChange> Changes, string Message);
