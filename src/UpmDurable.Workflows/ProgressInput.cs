using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Workflows;

// Passed to and from the orchestrator and activities. Append-only: in-flight orchestrations replay it.
/// <summary>
/// Input of the progress activity: the record to save (or, with <see cref="Delta"/>, what changed since the previous
/// checkpoint; <see cref="Record"/> is then null) and the evidence record to append for this transition.
/// </summary>
public sealed record ProgressInput(ChangeRecord? Record, string Kind, JsonElement Body)
{
    /// <summary>What changed in the record since the record the previous checkpoint stored; applied to the stored record.</summary>
    public ChangeRecordDelta? Delta { get; init; }
}
