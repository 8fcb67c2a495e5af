using System.Text.Json;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Cli;

// Command steps (type: command): run as written after the command-step catalog, recorded in the ledger.
public sealed partial class CliProvider
{
    async Task<StepRecord> ApplyCommandAsync(StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        CliLedgerEntry? entry = await ledger.GetAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        if (entry is { LastAppliedBy: { } by, Record: { } stored } && by == request.ExecutionKey)
        {
            // This (change, step) already ran: answer with what it did, do not run the command twice.
            return JsonSerializer.Deserialize<StepRecord>(stored)!;
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        TimeSpan? timeout = step.Resource.Timeout is { } t ? Core.Validation.ChangeRequestValidator.ParseDuration(t) : null;
        CommandResult result = await RunCommandStepAsync(step, step.Command, cancellationToken, timeout);
        StepRecord record = result.ToStepRecord(step.Id, step.Wave, entry is null ? "created" : "updated", started, DateTimeOffset.UtcNow);
        await ledger.RecordCommandAsync(request.Tenant, step, entry?.CreatedBy ?? request.ChangeId, entry is null ? request.Tenant : entry.CreatedByTenant ?? string.Empty, request.ExecutionKey, JsonSerializer.Serialize(record), (entry?.ApplyCount ?? 0) + 1, cancellationToken);
        return record;
    }

    async Task<StepRecord> CompensateCommandAsync(StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        DateTimeOffset started = DateTimeOffset.UtcNow;
        CliLedgerEntry? entry = await ledger.GetAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        if (entry is null)
        {
            return Note(step, started, step.Rollback, "absent", $"{step.Id} never ran; nothing to undo");
        }

        if (entry.CreatedBy != request.ChangeId)
        {
            return Note(step, started, step.Rollback, "kept", $"{step.Id} was first applied by {entry.CreatedByFor(request.Tenant) ?? Storage.ResourceOwner.AnotherTenant}; left in place");
        }

        if (string.IsNullOrWhiteSpace(step.Rollback))
        {
            return Note(step, started, step.Rollback, "kept", $"{step.Id} has no rollback command; left in place");
        }

        CommandResult result = await RunCommandStepAsync(step, step.Rollback, cancellationToken);
        await ledger.DeleteAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        return result.ToStepRecord(step.Id, step.Wave, "deleted", started, DateTimeOffset.UtcNow);
    }

    /// <summary>The refusal of a user's command line by the command-step catalog, or null when it may run.</summary>
    CommandRefusedException? CommandStepRefusal(string commandLine)
    {
        try
        {
            CommandGuard.CheckCommandStep(commandLine, commands);
            return null;
        }
        catch (CommandRefusedException ex)
        {
            return ex;
        }
    }

    /// <summary>Runs a user's command line (a command step's command or rollback): checked against the command-step catalog first, again, at run time.</summary>
    Task<CommandResult> RunCommandStepAsync(PlanStep step, string commandLine, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CommandStepRefusal(commandLine) is { } refused
            ? throw new StepFailedException(step.Id, 2, $"refused ({refused.Reason}): {refused.Message}")
            : RunCheckedAsync(step, commandLine, cancellationToken, timeout);
}
