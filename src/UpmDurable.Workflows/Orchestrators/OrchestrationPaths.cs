namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The orchestration versions at which the sequence of durable actions changed. An orchestration started before a
/// version keeps the old path on every replay (<c>context.CompareVersionTo(...) &lt; 0</c>); see docs/versioning.md.
/// </summary>
public static class OrchestrationPaths
{
    /// <summary>1.1: each mutating step first takes a permit of its provider's rate limit (three new activities).</summary>
    public const string RateLimits = "1.1";

    /// <summary>1.2: the plan compiled at submit travels with the change (<see cref="ChangeInput.Plan"/>): no <c>CompilePlan</c> activity.</summary>
    public const string PlanTravels = "1.2";
}
