using UpmDurable.Core.Model;

namespace UpmDurable.Providers;

/// <summary>A provider that runs pinned tools: pre-flight asks it whether every tool the plan needs is there at the pinned version.</summary>
public interface IToolPreflight
{
    /// <summary>One check per tool (and per target setting) the steps need; a failing check halts the change before any mutation.</summary>
    Task<IReadOnlyList<PreflightCheck>> CheckToolsAsync(IReadOnlyList<PlanStep> steps, CancellationToken cancellationToken);
}
