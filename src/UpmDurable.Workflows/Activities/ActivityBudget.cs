namespace UpmDurable.Workflows.Activities;

/// <summary>
/// The longest one activity works: its provider calls are cancelled after <see cref="Limit"/>, so the activity fails and the
/// orchestration retries it, before the Functions host's <c>functionTimeout</c> (host.json, 30 minutes) would stop it from
/// outside (which restarts the worker and every activity running in it). Long waits are durable timers, never activities.
/// </summary>
public static class ActivityBudget
{
    /// <summary>The budget of one activity attempt.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(25);

    /// <summary>A token source cancelled when the budget is spent.</summary>
    public static CancellationTokenSource Start() => new(Limit);
}
