using Microsoft.DurableTask;
using UpmDurable.Providers;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// The one home of the Durable Task rules every orchestrator shares: the retry policy, chained timers, and which
/// exceptions are failures the failure boundary handles.
/// </summary>
public static class Durable
{
    /// <summary>Transient faults (storage, throttling) are retried with backoff; a step the target refused is not.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(RetryAttempts, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30))
    {
        HandleFailure = failure => !failure.IsCausedBy<StepFailedException>(),
    });

    /// <summary>Attempts of <see cref="Retry"/> (1, 2, 4, 8 s apart); loops that retry by hand use the same count.</summary>
    public const int RetryAttempts = 5;

    /// <summary>The Azure Storage backend cannot hold a single timer longer than 6 days: longer waits are chained.</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(6);

    /// <summary>How early a durable timer may fire on the Azure Storage backend.</summary>
    public static readonly TimeSpan TimerTolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits on durable timers until a time, chained in <see cref="MaxTimer"/> pieces. The Azure Storage backend delays
    /// timer messages in whole seconds, so a timer may fire up to a second early: within that, the wait is over.
    /// </summary>
    public static async Task SleepUntilAsync(TaskOrchestrationContext context, DateTime until)
    {
        // At least one timer for any wait still ahead; after a timer fired, what is left within the tolerance is done.
        for (int chained = 0; chained < 1000; chained++)
        {
            if (WaitIsOver(context, until, chained))
            {
                return;
            }

            await context.CreateTimer(NextTimer(context, until), CancellationToken.None);
        }
    }

    /// <summary>Whether a chained wait until <paramref name="until"/> is over after <paramref name="chained"/> timers.</summary>
    public static bool WaitIsOver(TaskOrchestrationContext context, DateTime until, int chained)
    {
        TimeSpan remaining = until - context.CurrentUtcDateTime;
        return remaining <= TimeSpan.Zero || (chained > 0 && remaining <= TimerTolerance);
    }

    /// <summary>The next timer of a chained wait: what is left, at most <see cref="MaxTimer"/>.</summary>
    public static TimeSpan NextTimer(TaskOrchestrationContext context, DateTime until)
    {
        TimeSpan remaining = until - context.CurrentUtcDateTime;
        return remaining > MaxTimer ? MaxTimer : remaining;
    }

    /// <summary>
    /// A failure the boundary handles: an activity or sub-orchestration that failed after its retries, or an error of our
    /// own code. The Durable Task SDK's own exceptions (other than <see cref="TaskFailedException"/>) pass through.
    /// </summary>
    public static bool IsFailure(Exception ex) =>
        ex is TaskFailedException
        || (ex is not (OperationCanceledException or ChangeNotFinalizedException) && ex.GetType().Namespace?.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal) != true);

    /// <summary>An evidence record that cannot be written because another sits in its place: permanent, the chain must not fork.</summary>
    public static bool IsEvidenceConflict(Exception ex) => ex is TaskFailedException failed && failed.FailureDetails.IsCausedBy<Storage.EvidenceConflictException>();

    /// <summary>What failed, for traces and reasons: the task and its error, or the exception.</summary>
    public static string Describe(Exception error) => error is TaskFailedException failed
        ? $"{failed.TaskName}: {failed.FailureDetails.ErrorMessage}"
        : $"{error.GetType().Name}: {error.Message}";
}
