using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>The result of the execute phase: the steps applied, and what to do next.</summary>
public sealed record ExecutionResult(List<PlanStep> Applied, PhaseResult Next);
