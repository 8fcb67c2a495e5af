namespace UpmDurable.Core.Model;

/// <summary>Execution: each step's record, in the spec's shape.</summary>
public sealed record ExecutionReport
{
    public string Agent { get; init; } = "agent-session";

    public List<string> PipeAllowList { get; init; } = [.. Canonicals.DefaultPipeAllowList];

    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>Health-gate probes after each wave.</summary>
    public List<HealthProbe> HealthGates { get; init; } = [];
}
