namespace UpmDurable.Workflows.Orchestrators;

/// <summary>What a phase tells the orchestrator to do next.</summary>
public enum PhaseOutcome
{
    /// <summary>Go on to the next phase.</summary>
    Continue,

    /// <summary>End the change now with <see cref="PhaseResult.Status"/> (nothing to compensate).</summary>
    Finish,

    /// <summary>Compensate what was applied, then end the change (<c>rolled_back</c> or <c>rollback_failed</c>).</summary>
    RollBack,
}
