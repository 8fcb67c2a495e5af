namespace UpmDurable.Core.Model;

/// <summary>One compensating step of the rollback plan.</summary>
public sealed record RollbackStep(string StepId, string Command);
