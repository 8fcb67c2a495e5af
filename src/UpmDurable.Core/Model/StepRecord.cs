namespace UpmDurable.Core.Model;

/// <summary>The record of one executed (or compensated) step.</summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }

    public required int Wave { get; init; }

    public required string Cmd { get; init; }

    public required int Rc { get; init; }

    public string? Stdout { get; init; }

    public bool StderrTrunc { get; init; }

    public string? Stderr { get; init; }

    /// <summary>
    /// <c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>deleted</c>, <c>absent</c>, <c>kept</c> or <c>failed</c>; <c>pending</c>
    /// only between an activity and the orchestration (see <see cref="Pending"/>), never in a change record.
    /// </summary>
    public required string Outcome { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Set (outcome <c>pending</c>) when the target is still carrying the step out: the orchestration polls it to its end.</summary>
    public PendingOperation? Pending { get; init; }

    /// <summary>True when no process ran: a simulated provider (the sandbox) played the step. Absent on real steps.</summary>
    public bool? Simulated { get; init; }

    /// <summary>On a simulated step, the command a real run would have run (<see cref="Cmd"/> then starts with <c>simulated: </c>).</summary>
    public string? WouldRun { get; init; }

    /// <summary>Set when the step waited for its provider's rate limit before it ran (docs/rate-limits.md); absent when it did not wait.</summary>
    public RateLimitWait? RateLimited { get; init; }

    /// <summary>sha256 of the step's stored before-image (docs/rollback.md): binds it to the evidence chain. Absent without one.</summary>
    public string? BeforeImageSha256 { get; init; }
}
