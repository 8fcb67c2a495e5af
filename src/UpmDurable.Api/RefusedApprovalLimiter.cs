namespace UpmDurable.Api;

/// <summary>
/// Counts refused approval attempts per principal in a sliding minute. A principal past the limit is answered 429 before
/// anything is looked up or raised, so a flood of refused attempts reaches no orchestration. Per host instance: each
/// instance of a scaled-out app keeps its own window (the bound is the limit times the instances).
/// </summary>
public sealed class RefusedApprovalLimiter(RefusedApprovalOptions options, TimeProvider clock)
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // One window per person, however their id is spelled (the approval rules' comparison).
    readonly Dictionary<string, Queue<DateTimeOffset>> attempts = new(Core.Model.ApprovalRules.SamePerson);
    readonly Lock gate = new();

    /// <summary>When the principal may try again, or null when it is under the limit now.</summary>
    public TimeSpan? RetryAfter(string principal)
    {
        lock (gate)
        {
            if (!attempts.TryGetValue(principal, out Queue<DateTimeOffset>? seen))
            {
                return null;
            }

            DateTimeOffset now = clock.GetUtcNow();
            Trim(seen, now);
            return seen.Count >= Math.Max(1, options.RefusedAttemptsPerMinute) ? seen.Peek() + Window - now : null;
        }
    }

    /// <summary>Counts one refused attempt of the principal.</summary>
    public void Refused(string principal)
    {
        lock (gate)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (!attempts.TryGetValue(principal, out Queue<DateTimeOffset>? seen))
            {
                // Forget principals whose window is empty, so the table stays as small as the set of recent offenders.
                foreach (string idle in attempts.Where(a => { Trim(a.Value, now); return a.Value.Count == 0; }).Select(a => a.Key).ToList())
                {
                    attempts.Remove(idle);
                }

                attempts[principal] = seen = new Queue<DateTimeOffset>();
            }

            Trim(seen, now);
            seen.Enqueue(now);
        }
    }

    static void Trim(Queue<DateTimeOffset> seen, DateTimeOffset now)
    {
        while (seen.Count > 0 && now - seen.Peek() >= Window)
        {
            seen.Dequeue();
        }
    }
}
