namespace UpmDurable.Core.Model;

/// <summary>
/// A step's operation still running at its target (an ARM long-running PUT or DELETE): where its status is read and when
/// to ask again. The orchestration waits on durable timers between short polls instead of one activity waiting it out.
/// Append-only contract: in-flight orchestrations replay it.
/// </summary>
public sealed record PendingOperation
{
    /// <summary>The URL that reports the operation's status (ARM: <c>Azure-AsyncOperation</c>, else <c>Location</c>, else the resource itself).</summary>
    public required string StatusUrl { get; init; }

    /// <summary>How <see cref="StatusUrl"/> answers; one of <see cref="PendingOperationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>PUT</c> or <c>DELETE</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The resource the operation acts on.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The outcome recorded when the operation succeeds (<c>created</c>, <c>updated</c>, <c>deleted</c>).</summary>
    public required string Outcome { get; init; }

    /// <summary>The status the target last reported (<c>Accepted</c>, <c>InProgress</c>, <c>Creating</c>...).</summary>
    public string? Status { get; init; }

    /// <summary>How long to wait before the next poll: the target's <c>Retry-After</c> within the provider's bounds.</summary>
    public int PollAfterSeconds { get; init; }

    /// <summary>The longest the orchestration waits for this operation, in seconds (0: the orchestration's default).</summary>
    public int WaitLimitSeconds { get; init; }
}
