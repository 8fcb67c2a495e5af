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

/// <summary>How a <see cref="PendingOperation"/>'s status URL is read.</summary>
public static class PendingOperationKinds
{
    /// <summary>An ARM <c>Azure-AsyncOperation</c> URL: a body <c>{"status": "InProgress|Succeeded|Failed|Canceled", "error": {...}}</c>.</summary>
    public const string AsyncOperation = "async_operation";

    /// <summary>An ARM <c>Location</c> URL: 202 while running, 200/201/204 when done, an error body when failed.</summary>
    public const string Location = "location";

    /// <summary>The resource itself: its <c>provisioningState</c> (a DELETE is done when it answers 404).</summary>
    public const string Resource = "resource";
}
