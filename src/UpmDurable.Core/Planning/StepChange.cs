using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>What a step does to its resource: a <see cref="PlanActions"/> word and the field-level changes (empty for <c>unchanged</c>).</summary>
public sealed record StepChange(string Action, List<FieldChange> Changes);
