namespace UpmDurable.Testing.Chaos;

/// <summary>Where in a change's life the host is killed.</summary>
public enum KillPoint
{
    /// <summary>Right after the change was accepted: plan or pre-flight not yet recorded.</summary>
    Planning,

    /// <summary>While the change waits for its approvals.</summary>
    AwaitingApproval,

    /// <summary>While a wave runs: a step of wave 2 has changed the sandbox but the orchestration has not recorded it.</summary>
    MidWave,

    /// <summary>After the last step was recorded, while the read-back of every resource runs.</summary>
    Verify,

    /// <summary>After the rollback started and undid at least one step, before it finished.</summary>
    MidRollback,

    /// <summary>The moment a new evidence blob appears: before the index (or the orchestration) has taken its new head.</summary>
    EvidenceWrite,
}

/// <summary>What a trial's change does besides its steps: nothing, or a sandbox fault that makes it roll back.</summary>
public enum TrialFault
{
    None,

    /// <summary>The last wave's step fails on apply: the change rolls back what it applied.</summary>
    Apply,

    /// <summary>A resource reads back unhealthy: verification fails and the change rolls back.</summary>
    Verify,
}

/// <summary>One planned trial: a kill point, a fault, and (for <see cref="KillPoint.EvidenceWrite"/>) how many new records to let pass first.</summary>
public sealed record ChaosTrial(int Number, KillPoint Point, TrialFault Fault, int SkipRecords = 0)
{
    /// <summary>The final status the change must reach.</summary>
    public string ExpectedStatus => Fault == TrialFault.None ? "completed" : "rolled_back";

    /// <summary>
    /// A seeded plan that visits every kill point in turn (shuffled per round) with faults mixed in: mid-rollback always
    /// has one, verify never has an apply fault (nothing would reach verify).
    /// </summary>
    public static IReadOnlyList<ChaosTrial> Plan(int trials, int seed)
    {
        var random = new Random(seed);
        var points = Enum.GetValues<KillPoint>();
        var plan = new List<ChaosTrial>();
        while (plan.Count < trials)
        {
            foreach (KillPoint point in points.OrderBy(_ => random.Next()).ToList())
            {
                if (plan.Count == trials)
                {
                    break;
                }

                TrialFault fault = point switch
                {
                    KillPoint.MidRollback => random.Next(2) == 0 ? TrialFault.Apply : TrialFault.Verify,
                    KillPoint.Verify => random.Next(3) == 0 ? TrialFault.Verify : TrialFault.None,
                    _ => random.Next(3) == 0 ? TrialFault.Apply : TrialFault.None,
                };
                plan.Add(new ChaosTrial(plan.Count + 1, point, fault, point == KillPoint.EvidenceWrite ? random.Next(4) : 0));
            }
        }

        return plan;
    }
}

/// <summary>The outcome of one trial: what was seen at the kill, how long recovery took, and every invariant that did not hold.</summary>
public sealed record ChaosTrialResult(
    ChaosTrial Trial,
    string ChangeId,
    string FinalStatus,
    bool Landed,
    string AtKill,
    TimeSpan HostStart,
    TimeSpan? Recovery,
    TimeSpan Total,
    IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
