namespace UpmDurable.Core.Execution;

/// <summary>A command the guarded runner refused before starting anything. <see cref="Reason"/> is a stable code for records and APIs.</summary>
public abstract class CommandRefusedException : Exception
{
    protected CommandRefusedException(string reason, string message)
        : base(message) => Reason = reason;

    /// <summary><c>meta_blocked</c>, <c>pipe_refused</c>, <c>tool_not_in_manifest</c>, <c>syntax</c>, <c>argument_refused</c>, <c>subcommand_refused</c> or <c>secret_in_command</c>.</summary>
    public string Reason { get; }
}
