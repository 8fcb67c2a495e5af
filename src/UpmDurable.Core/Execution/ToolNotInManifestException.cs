namespace UpmDurable.Core.Execution;

/// <summary>The command's program is not a tool of the manifest (only pinned tools run).</summary>
public sealed class ToolNotInManifestException : CommandRefusedException
{
    public ToolNotInManifestException(string tool)
        : base("tool_not_in_manifest", $"tool '{tool}' is not in the tool manifest; only version-pinned tools may run")
        => Tool = tool;

    public string Tool { get; }
}
