using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;

namespace UpmDurable.Api;

/// <summary>
/// One compensation of a rollback dry run, in the order it would run: its <see cref="RollbackActions"/> word, for
/// <c>restore</c>/<c>recreate</c> the fields it sets, and the conflict when the resource changed since the change.
/// </summary>
public sealed record RollbackDryRunStep(int Order, string StepId, string Command, bool TargetExists, string Action, string Guard, string? Refusal, string Message, List<FieldChange>? Changes = null, string? Conflict = null);
