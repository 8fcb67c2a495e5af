namespace UpmDurable.Core.Model;

/// <summary>
/// What the dry run expects for one step: the <see cref="PlanActions"/> word, the command, and the field-level
/// changes from the provider's current state to the plan's intended state (empty for <c>unchanged</c>).
/// </summary>
public sealed record DryRunEntry(string StepId, string Action, string Command, List<FieldChange>? Changes = null);
