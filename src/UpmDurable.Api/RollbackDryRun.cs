using UpmDurable.Api.Health;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows;

namespace UpmDurable.Api;

/// <summary>
/// The answer of POST /api/changes/{id}/rollback?dry_run=true. <c>Conflicts</c>: resources changed since a completed change (a rollback without <c>force</c> is refused with 409).
/// </summary>
public sealed record RollbackDryRun(string ChangeId, string Status, bool DryRun, bool Executable, string Scope, List<RollbackDryRunStep> Steps, List<string> Problems, DateTimeOffset SimulatedAt, List<string>? Conflicts = null);
