using UpmDurable.Core.Model;

namespace UpmDurable.Providers;

/// <summary>
/// A provider whose writes may outlast an activity (ARM): apply and compensate start the operation and answer a
/// <c>pending</c> record (<see cref="StepRecord.Pending"/>) at once; the orchestration waits on durable timers and asks
/// <see cref="PollAsync"/> until the record is final. Providers without it (sandbox, cli) answer final records directly.
/// </summary>
public interface ILongRunningProvider
{
    /// <summary>
    /// Reads the operation's status once: a final record when it succeeded, the pending record (status and next poll
    /// updated) while it runs; throws <see cref="StepFailedException"/> when the target reports it failed.
    /// </summary>
    Task<StepRecord> PollAsync(StepRequest request, StepRecord pending, CancellationToken cancellationToken);
}
