namespace UpmDurable.Providers.Cli.Runner;

/// <summary>Outcome of a pre-flight version check. <see cref="Status"/> is one of <see cref="ToolCheckStatus"/>.</summary>
public sealed record ToolCheck(string Tool, string Status, string? Path, string? Expected, string? Actual, string Message)
{
    public bool Ok => Status == ToolCheckStatus.Ok;
}
