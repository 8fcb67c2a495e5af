using UpmDurable.Core.Model;

namespace UpmDurable.Providers;

/// <summary>The record of a step a provider carried out (rc 0): the one shape every provider reports success in.</summary>
public static class StepRecords
{
    public static StepRecord Done(PlanStep step, DateTimeOffset started, string command, string outcome, string stdout) => new()
    {
        StepId = step.Id,
        Wave = step.Wave,
        Cmd = command,
        Rc = 0,
        Stdout = stdout,
        Outcome = outcome,
        StartedAt = started,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}
