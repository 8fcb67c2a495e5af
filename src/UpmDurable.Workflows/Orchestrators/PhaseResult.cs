namespace UpmDurable.Workflows.Orchestrators;

/// <summary>The typed result of a phase: continue, finish with a status, or roll back, with the reason.</summary>
public sealed record PhaseResult(PhaseOutcome Outcome, string? Status, string? Reason)
{
    /// <summary>Go on.</summary>
    public static PhaseResult Continue { get; } = new(PhaseOutcome.Continue, null, null);

    /// <summary>End the change with <paramref name="status"/>.</summary>
    public static PhaseResult Finish(string status, string? reason) => new(PhaseOutcome.Finish, status, reason);

    /// <summary>Compensate what was applied, because of <paramref name="reason"/>.</summary>
    public static PhaseResult RollBack(string reason) => new(PhaseOutcome.RollBack, null, reason);

    /// <summary>Whether the orchestrator goes on to the next phase.</summary>
    public bool GoesOn => Outcome == PhaseOutcome.Continue;
}
