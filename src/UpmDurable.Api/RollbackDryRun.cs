namespace UpmDurable.Api;

/// <summary>
/// The answer of POST /api/changes/{id}/rollback?dry_run=true. <c>Conflicts</c>: resources changed since a completed change (a rollback without <c>force</c> is refused with 409).
/// </summary>
public sealed record RollbackDryRun(string ChangeId, string Status, bool DryRun, bool Executable, string Scope, List<RollbackDryRunStep> Steps, List<string> Problems, DateTimeOffset SimulatedAt, List<string>? Conflicts = null);
