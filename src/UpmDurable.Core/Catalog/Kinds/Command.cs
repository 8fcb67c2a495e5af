namespace UpmDurable.Core.Catalog;

/// <summary>
/// <c>command</c>: a custom step of the API contract, run by the <c>cli</c> provider through the guarded runner. Its command,
/// read-back and rollback are checked for shell metas and the pipe allow-list when the plan is compiled.
/// </summary>
public static class Command
{
    public const string Type = "command";

    public static ResourceKind Kind { get; } = new()
    {
        Type = Type, Tool = "cli", HealthCheck = "command_read_back", MonthlyCostUsd = 0m,
        RiskWeight = 15, ImpactNote = "Custom command: effect depends on the command; runs guarded (no shell, pinned tools, timeout).",
        Create = r => r.Command ?? string.Empty,
        ReadBack = r => r.ReadBack ?? string.Empty,
        Delete = r => r.Rollback ?? string.Empty,
    };
}
